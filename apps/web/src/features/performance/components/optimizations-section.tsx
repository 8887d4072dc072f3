import type { OptimizationsResponse } from '@orch/contracts';

import { Badge } from '../../../components/badge';

/** Which optimizations this instance runs with (OPTIMIZATIONS) and the active rate limits. */
export function OptimizationsSection({ data }: { data: OptimizationsResponse }) {
  return (
    <>
      <ul className="optimizations" data-testid="perf-optimizations">
        {data.optimizations.map((o) => (
          <li
            key={o.name}
            className="optimizations__item"
            data-name={o.name}
            data-enabled={o.enabled}
          >
            <Badge tone={o.enabled ? 'green' : 'neutral'}>{o.enabled ? 'on' : 'off'}</Badge>{' '}
            <code>{o.name}</code>
            <span className="muted small"> {o.description}</span>
          </li>
        ))}
      </ul>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Rate limits</caption>
          <thead>
            <tr>
              <th scope="col">Rate-limit tier</th>
              <th scope="col" className="table__num">
                Requests
              </th>
              <th scope="col" className="table__num">
                Per
              </th>
            </tr>
          </thead>
          <tbody>
            {data.rateLimits.map((limit) => (
              <tr key={limit.tier}>
                <td>{limit.tier}</td>
                <td className="table__num">{limit.limit.toLocaleString('en-US')}</td>
                <td className="table__num">{limit.windowSeconds} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
