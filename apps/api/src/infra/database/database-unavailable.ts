/**
 * Whether an error means "the database cannot be reached right now" rather than "this query
 * is wrong": the server is down or restarting, a connection was cut, or no connection could be
 * had within DB_CONNECT_TIMEOUT_MS (pg-pool's `connectionTimeoutMillis`, which also bounds the
 * wait for a pooled client). The error filter answers these with 503, so a client retries
 * instead of reporting a bug, and a load balancer sees what /api/health says.
 *
 * pg gives no single type for this: a refused connect is a Node socket error (`ECONNREFUSED`),
 * a server shutting down sends SQLSTATE 57P01 (admin_shutdown) or 57P03 (cannot_connect_now:
 * starting up or shutting down), a cut connection is an Error whose message pg fixes
 * ("Connection terminated unexpectedly"), and TypeORM wraps query errors in QueryFailedError
 * (`driverError`). All of those are looked at, down the `cause` chain.
 *
 * One more: TypeORM's postgres query runner releases itself when its connection emits `error`
 * (PostgresQueryRunner: `on('error', releasePostgresConnection)`), so a transaction whose
 * connection died between two statements fails with QueryRunnerAlreadyReleasedError and the
 * original cause is gone. The app never uses a runner after releasing it on purpose (every
 * transaction goes through `DataSource.transaction`), so that error means a lost connection.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** SQLSTATE class 08 (connection exception) and the operator-intervention codes of a shutdown. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const MESSAGES = [
  /^Connection terminated/, // "... unexpectedly", "... due to connection timeout"
  /^timeout exceeded when trying to connect$/, // pg-pool: no client within connectionTimeoutMillis
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, message, driverError, cause, errors } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if ((current as { name?: unknown }).name === 'QueryRunnerAlreadyReleasedError') return true;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code))) return true;
    if (typeof code === 'string' && /^08[0-9A-Z]{3}$/.test(code)) return true;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    // A connect to "localhost" tries ::1 and 127.0.0.1: Node reports an AggregateError.
    if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e))) return true;
    current = driverError ?? cause;
  }
  return false;
}
