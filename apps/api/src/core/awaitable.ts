/**
 * A value now, or later. A cache hit is answered now: an `async` function or a
 * `Promise.resolve` would turn it into a promise, and on Node 20 every promise
 * created inside a request pays the request context's async hooks
 * (docs/hot-path.md). Nest takes either from a guard or a handler.
 */
export type Awaitable<T> = T | Promise<T>;

/** `next(value)`, now if `value` is here, after it settles otherwise. */
export function andThen<T, R>(value: Awaitable<T>, next: (value: T) => Awaitable<R>): Awaitable<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
