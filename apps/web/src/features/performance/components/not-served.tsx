/**
 * A figure the API doesn't serve yet. Said plainly, with where it will come from, rather
 * than a zero that would read as a measurement.
 */
export function NotServed({ figure, source }: { figure: string; source: string }) {
  return (
    <div className="empty-state empty-state--pending" data-testid="not-served" data-figure={figure}>
      <strong>{figure}</strong>: not served by this API yet. {source}
    </div>
  );
}
