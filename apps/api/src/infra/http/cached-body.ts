import { createHash } from 'node:crypto';

/**
 * A response body serialised once and kept: what a cached read answers with.
 * A hit sends these bytes as they are (no re-serialisation of a 26 KB object
 * per request) with a strong ETag computed from them once, so a client that
 * polls with If-None-Match gets a 304 without a body (conditional-get.ts).
 *
 * `T` is the contract type the bytes encode: a controller returning
 * `CachedBody<Workspace>` still declares what it answers.
 */
export class CachedBody<T> {
  /** Built on first send and kept with the entry (a private field: never stored in Redis). */
  #bytes: Buffer | undefined;

  private constructor(
    /** The JSON text of the value. */
    readonly json: string,
    /** A strong entity tag of exactly these bytes, or null when the body is not cached. */
    readonly etag: string | null,
  ) {}

  /** Serialises `value`; `tagged` adds the ETag (cached reads only: a baseline read has none). */
  static of<T>(value: T, { tagged }: { tagged: boolean }): CachedBody<T> {
    const json = JSON.stringify(value);
    return new CachedBody<T>(json, tagged ? etagOf(json) : null);
  }

  /** Back from a cache tier that stored it as plain JSON (the Redis tier). */
  static revive<T>(stored: CachedBody<T> | { json: string; etag: string | null }): CachedBody<T> {
    return stored instanceof CachedBody ? stored : new CachedBody<T>(stored.json, stored.etag);
  }

  get bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(this.json, 'utf8'));
  }

  /** The value again (for callers inside the app that need the object, not the bytes). */
  parse(): T {
    return JSON.parse(this.json) as T;
  }

  /** What a cache tier stores: the text and the tag (Keyv serialises this for Redis). */
  toJSON(): { json: string; etag: string | null } {
    return { json: this.json, etag: this.etag };
  }
}

/** `"<base64url sha-1 of the bytes>"`: equal bytes on any instance give the same tag. */
export function etagOf(json: string): string {
  return `"${createHash('sha1').update(json, 'utf8').digest('base64url')}"`;
}
