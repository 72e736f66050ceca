'use client';

import { Area, Bar, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SimulatedStretch } from '@/lib/dashboard/stretches';
import { formatNumber, timeTickFormatter, timeTicks } from '../ui/format';
import { PinnedReadout } from './readout';
import { timeDomain, useSlotWidth, Y_AXIS_WIDTH } from './time';
import { DAY_MS } from '@/lib/market/time';

export interface SeriesSpec {
  key: string;
  name: string;
  color: string;
  kind?: 'line' | 'area' | 'bar';
  /** Series with the same stack id are stacked (areas or bars). */
  stack?: string;
}

export interface TimeSeriesChartProps {
  rows: readonly ({ t: number } & Record<string, number | null | undefined | object>)[];
  series: SeriesSpec[];
  widthMs: number;
  height?: number;
  syncId?: string;
  domain?: [number | 'auto', number | 'auto' | ((dataMax: number) => number)];
  /** Fixed y ticks (e.g. 0 25 50 75 100 for an index). */
  yTicks?: number[];
  levels?: { y: number; label?: string }[];
  stretches?: SimulatedStretch[];
  format?: (value: number | null) => string;
  testId?: string;
  /** Each x-axis label shows a date (daily data) rather than a time. */
  daily?: boolean;
}

/**
 * A time chart on the dashboard's conventions: numeric UTC time axis (gaps stay gaps), y-axis on the
 * right with a fixed width, hovered values pinned top-left, simulated stretches shaded.
 */
export function TimeSeriesChart({ rows, series, widthMs, height = 180, syncId, domain, levels = [], stretches = [], format = (v) => formatNumber(v), testId, daily, yTicks }: TimeSeriesChartProps) {
  const x = timeDomain(rows.map((r) => r.t), widthMs);
  const [slot, onResize] = useSlotWidth(x, widthMs);
  const barSize = Math.max(1, slot * 0.8);
  return (
    <div data-testid={testId}>
      <ResponsiveContainer width="100%" height={height} onResize={onResize}>
        <ComposedChart data={rows as object[]} syncId={syncId} margin={{ top: 22, right: 0, bottom: 0, left: 0 }} barCategoryGap={0}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={x} allowDataOverflow ticks={timeTicks(x)} tickFormatter={timeTickFormatter(daily ? Math.max(x[1] - x[0], 3 * DAY_MS) : x[1] - x[0])} tickLine={false} stroke="var(--border)" />
          <YAxis orientation="right" width={Y_AXIS_WIDTH} domain={domain ?? ['auto', 'auto']} ticks={yTicks} tickFormatter={(v: number) => format(v)} tickCount={4} stroke="var(--border)" tickLine={false} />
          {stretches.map((s) => (
            <ReferenceArea key={s.from} x1={Math.max(s.from, x[0])} x2={Math.min(s.to, x[1])} ifOverflow="hidden" fill="var(--sim)" fillOpacity={0.16} className="simulated-stretch" />
          ))}
          {levels.map((level) => (
            <ReferenceLine key={level.y} y={level.y} stroke="var(--axis)" strokeOpacity={0.5} strokeDasharray="3 3" label={level.label ? { value: level.label, position: 'insideBottomLeft', fill: 'var(--faint)', fontSize: 10 } : undefined} />
          ))}
          {series.map((s) =>
            s.kind === 'area' ? (
              <Area key={s.key} dataKey={s.key} name={s.name} stackId={s.stack} stroke={s.color} fill={s.color} fillOpacity={s.stack ? 0.75 : 0.18} strokeWidth={1.2} isAnimationActive={false} type="linear" />
            ) : s.kind === 'bar' ? (
              <Bar key={s.key} dataKey={s.key} name={s.name} stackId={s.stack} fill={s.color} barSize={barSize} isAnimationActive={false} />
            ) : (
              <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color} dot={false} strokeWidth={1.4} isAnimationActive={false} type="linear" />
            ),
          )}
          <Tooltip
            content={({ active, payload }) => {
              const row = payload?.[0]?.payload as { t: number } & Record<string, unknown> | undefined;
              if (!active || !row) return null;
              return (
                <PinnedReadout
                  time={row.t}
                  items={series.map((s) => ({ label: s.name, value: format(typeof row[s.key] === 'number' ? (row[s.key] as number) : null), color: s.color }))}
                />
              );
            }}
            position={{ x: 4, y: 0 }}
            cursor={{ stroke: 'var(--axis)', strokeDasharray: '3 3', fill: 'var(--band)' }}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
