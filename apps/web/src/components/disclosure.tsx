import { useId, useState, type ReactNode } from 'react';

interface DisclosureProps {
  /** The button's text while closed. */
  label: string;
  testId?: string;
  /** The panel; `close` hides it again (after a successful submit, say). */
  children: (close: () => void) => ReactNode;
}

/** A button that shows and hides a panel (a form), with aria-expanded and aria-controls. */
export function Disclosure({ label, testId, children }: DisclosureProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="disclosure">
      <button
        type="button"
        className={open ? 'btn btn--small btn--ghost' : 'btn btn--small'}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((value) => !value)}
        data-testid={testId}
      >
        {open ? 'Close' : label}
      </button>
      {open && (
        <div className="disclosure__panel" id={id}>
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
