import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar } from '@visx/shape';

interface ColumnChartProps {
  title: string;
  data: readonly { label: string; value: number }[];
  testId?: string;
}

const WIDTH = 520;
const HEIGHT = 90;
const AXIS = 16;

/** Vertical bars over time (one per day, say), the first and last labels under them. */
export function ColumnChart({ title, data, testId }: ColumnChartProps) {
  const x = scaleBand<string>({
    domain: data.map((d) => d.label),
    range: [0, WIDTH],
    padding: 0.2,
  });
  const top = Math.max(1, ...data.map((d) => d.value));
  const y = scaleLinear<number>({ domain: [0, top], range: [HEIGHT - AXIS, 0] });
  const first = data[0]?.label;
  const last = data[data.length - 1]?.label;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-label={title}
      data-testid={testId}
    >
      <title>{title}</title>
      {data.map((d) => {
        const barTop = y(d.value) ?? 0;
        return (
          <Bar
            key={d.label}
            className="chart__bar"
            x={x(d.label) ?? 0}
            y={barTop}
            width={x.bandwidth()}
            height={HEIGHT - AXIS - barTop}
            data-testid="chart-column"
          >
            <title>{`${d.label}: ${d.value}`}</title>
          </Bar>
        );
      })}
      {first && (
        <text className="chart__label" x={0} y={HEIGHT - 2}>
          {first}
        </text>
      )}
      {last && last !== first && (
        <text className="chart__label" x={WIDTH} y={HEIGHT - 2} textAnchor="end">
          {last}
        </text>
      )}
    </svg>
  );
}
