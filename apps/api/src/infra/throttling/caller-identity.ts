/**
 * The port through which rate limiting learns who is calling, without
 * depending on the auth module: a valid bearer token's user id, else nothing.
 * Synchronous and free of database access: it runs before every request.
 */
export abstract class CallerIdentity {
  abstract userIdFromAuthorization(header: string | undefined): string | undefined;
}
