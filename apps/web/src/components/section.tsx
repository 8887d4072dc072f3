import type { ReactNode } from 'react';

interface SectionProps {
  id: string;
  title: string;
  /** Right of the title: a count, a filter. */
  aside?: ReactNode;
  children: ReactNode;
}

export function Section({ id, title, aside, children }: SectionProps) {
  return (
    <section className="panel" id={id} aria-labelledby={`${id}-title`}>
      <header className="panel__header">
        <h2 className="panel__title" id={`${id}-title`}>
          {title}
        </h2>
        {aside && <div className="panel__aside">{aside}</div>}
      </header>
      <div className="panel__body">{children}</div>
    </section>
  );
}
