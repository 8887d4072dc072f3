export const count = (n: number) => n.toLocaleString('en-US');
export const percent = (ratio: number) =>
  `${(ratio * 100).toFixed(ratio >= 0.995 || ratio === 0 ? 0 : 1)} %`;
export const ms = (n: number) =>
  `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} ms`;
export const usd = (n: number) =>
  n.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}
