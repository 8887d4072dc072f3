/** A numeric command-line flag, checked: `--flag` must be a number from min to max. */
export function numberFlag(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${flag} must be a number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}
