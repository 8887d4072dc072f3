/** Milliseconds, for spacing the generated timestamps. */
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
