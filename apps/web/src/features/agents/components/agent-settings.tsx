import type { AgentSettings as Settings } from '@orch/contracts';

/** An agent's settings as compact key=value chips. */
export function AgentSettings({ settings }: { settings: Settings }) {
  const entries = Object.entries(settings ?? {});
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="kv-list">
      {entries.map(([key, value]) => (
        <li key={key} className="kv" title={`${key} = ${value}`}>
          <span className="kv__key">{key}</span>
          <span className="kv__value">{value}</span>
        </li>
      ))}
    </ul>
  );
}
