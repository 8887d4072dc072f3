import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar } from '@visx/shape';

export interface BarDatum {
  label: string;
  value: number;
  /** What the bar's end shows; the value when absent. */
  display?: string;
}

interface BarChartProps {
  /** Names the chart for assistive technology (the figures are also in the text). */
  title: string;
  data: readonly BarDatum[];
  /** The scale's end; the largest value when absent (1 for ratios, say). */
  max?: number;
  testId?: string;
}

const WIDTH = 520;
const ROW = 26;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 90;

/** Horizontal bars, one row per datum, label left and value right; scales with its box. */
export function BarChart({ title, data, max, testId }: BarChartProps) {
  const height = Math.max(ROW, data.length * ROW);
  const barsWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const end = max ?? Math.max(1, ...data.map((d) => d.value));
  const x = scaleLinear<number>({ domain: [0, end], range: [0, barsWidth], clamp: true });
  const y = scaleBand<string>({
    domain: data.map((d) => d.label),
    range: [0, height],
    padding: 0.25,
  });

  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-label={title}
      data-testid={testId}
    >
      <title>{title}</title>
      {data.map((d) => {
        const top = y(d.label) ?? 0;
        const middle = top + y.bandwidth() / 2;
        return (
          <Group key={d.label} data-testid="chart-bar" data-label={d.label} data-value={d.value}>
            <text
              className="chart__label"
              x={LABEL_WIDTH - 8}
              y={middle}
              textAnchor="end"
              dy="0.35em"
            >
              {d.label.length > 26 ? `${d.label.slice(0, 25)}…` : d.label}
            </text>
            <rect
              className="chart__track"
              x={LABEL_WIDTH}
              y={top}
              width={barsWidth}
              height={y.bandwidth()}
              rx={3}
            />
            <Bar
              className="chart__bar"
              x={LABEL_WIDTH}
              y={top}
              width={Math.max(d.value > 0 ? 2 : 0, x(d.value) ?? 0)}
              height={y.bandwidth()}
              rx={3}
            />
            <text className="chart__value" x={WIDTH - VALUE_WIDTH + 8} y={middle} dy="0.35em">
              {d.display ?? d.value.toLocaleString('en-US')}
            </text>
          </Group>
        );
      })}
    </svg>
  );
}
