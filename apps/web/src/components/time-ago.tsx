import { formatDateTime, formatRelative } from '../lib/format';

/** A relative time ("3 min. ago") with the exact time as tooltip. */
export function TimeAgo({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}
