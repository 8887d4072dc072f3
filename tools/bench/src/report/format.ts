import { ms, ratio, type Spread, thousands } from '../lib/stats.js';

export { ms, ratio, thousands };

/** req/s: whole numbers, one decimal below 10 (a baseline list with the AI provider on is ~0.8/s). */
export function rps(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value < 10 ? value.toFixed(1) : thousands(Math.round(value));
}

/** "1,234 (1,180–1,290)": the median of the rounds and their range. */
export function spreadText(s: Spread, format: (v: number) => string): string {
  if (!Number.isFinite(s.median)) return '–';
  if (s.min === s.max) return format(s.median);
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

export function usText(value: number): string {
  return Number.isFinite(value) ? thousands(Math.round(value)) : '–';
}

export function kb(bytes: number): string {
  return bytes < 10_240
    ? `${(bytes / 1024).toFixed(1)} KB`
    : `${thousands(Math.round(bytes / 1024))} KB`;
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** "42%" of the ceiling, bold: the figure this page is for. */
export function fraction(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return '–';
  const share = part / whole;
  return `**${share < 0.1 ? (share * 100).toFixed(1) : Math.round(share * 100)}%**`;
}

export function changeText(from: number, to: number): string {
  if (!Number.isFinite(from) || !Number.isFinite(to) || from === 0) return '–';
  const change = (to - from) / from;
  return `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(0)}%`;
}

export function queriesText(s: Spread, seen: number[]): string {
  if (seen.length > 0 && seen.length <= 3) return seen.join('/');
  return Number.isFinite(s.median) ? s.median.toFixed(1) : '–';
}

export function table(header: string[], align: ('l' | 'r' | 'c')[], rows: string[][]): string[] {
  const rule = align.map((a) => (a === 'r' ? '---:' : a === 'c' ? ':---:' : '---'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${rule.join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}
