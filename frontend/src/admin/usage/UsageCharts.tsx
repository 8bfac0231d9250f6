import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AdminUsage } from '@patchpad/shared';
import { formatTokens, formatUsd } from '../format';
import { bucketLabel, colorOf, pivotByModel, type Point } from './series';

const AXIS = { stroke: '#8b93a7', fontSize: 12 };
const TOOLTIP = { contentStyle: { background: '#171a22', border: '1px solid #2a2f3a' }, labelFormatter: (b: unknown) => bucketLabel(String(b)) };

type StackedProps = { title: string; points: Point[]; keys: string[]; colors: string[]; format: (n: number) => string; counts?: boolean };

function Stacked({ title, points, keys, colors, format, counts = false }: StackedProps) {
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#2a2f3a" vertical={false} />
          <XAxis dataKey="bucket" tickFormatter={bucketLabel} tick={AXIS} stroke="#2a2f3a" />
          <YAxis tickFormatter={(n: number) => format(n)} tick={AXIS} stroke="#2a2f3a" width={64} allowDecimals={!counts} />
          <Tooltip {...TOOLTIP} formatter={(v: unknown) => format(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {keys.map((k, i) => (
            <Bar key={k} dataKey={k} stackId="a" fill={colors[i]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The usage page's charts (recharts is loaded only when this page opens). */
export default function UsageCharts({ usage }: { usage: AdminUsage }) {
  const buckets = usage.tasks.map((t) => t.bucket);
  const tokens = pivotByModel(usage.byModel, buckets, (r) => r.tokensIn + r.tokensOut);
  const cost = pivotByModel(usage.byModel, buckets, (r) => r.costUsd);
  const modelColors = tokens.models.map((_, i) => colorOf(i));
  const costColors = cost.models.map((m) => modelColors[tokens.models.indexOf(m)] ?? colorOf(0));
  return (
    <div className="charts">
      <Stacked title="Tokens per model per day" points={tokens.points} keys={tokens.models} colors={modelColors} format={formatTokens} />
      <Stacked title="Cost per model per day" points={cost.points} keys={cost.models} colors={costColors} format={formatUsd} />
      <Stacked
        title="Tasks per day by outcome"
        points={usage.tasks}
        keys={['done', 'failed', 'cancelled']}
        colors={['#17c964', '#f31260', '#8b93a7']}
        format={(n) => String(n)}
        counts
      />
    </div>
  );
}
