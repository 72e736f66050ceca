'use client';

import { ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SimulatedStretch } from '@/lib/dashboard/stretches';
import { BarLayer } from './candle-layer';
import { formatNumber, timeTickFormatter, timeTicks } from '../ui/format';
import { PinnedReadout } from './readout';
import type { ChartRow } from './rows';
import { timeDomain, Y_AXIS_WIDTH } from './time';

export interface PaneLine {
  key: keyof ChartRow;
  name: string;
  color: string;
}

export interface PaneSpec {
  id: string;
  title: string;
  lines: PaneLine[];
  /** Drawn as bars coloured by sign (MACD histogram). */
  histogram?: { key: keyof ChartRow; name: string };
  domain?: [number, number];
  /** Horizontal guides (overbought/oversold, zero). */
  levels?: number[];
  /** A shaded band between two levels (the neutral zone). */
  band?: [number, number];
  format?: (value: number | null) => string;
}

interface Props {
  spec: PaneSpec;
  rows: ChartRow[];
  widthMs: number;
  stretches: SimulatedStretch[];
  syncId: string;
  showTimeAxis: boolean;
  height?: number;
}

const value = (row: ChartRow | undefined, key: keyof ChartRow) => (row ? (row[key] as number | null) : null);

/** One indicator under the price chart, on the same time axis (syncId) and the same y-axis width, so cursors line up. */
export function IndicatorPane({ spec, rows, widthMs, stretches, syncId, showTimeAxis, height = 104 }: Props) {
  const format = spec.format ?? ((v: number | null) => formatNumber(v));
  const domain = timeDomain(rows.map((r) => r.t), widthMs);
  const last = rows[rows.length - 1];
  const series = [...(spec.histogram ? [{ key: spec.histogram.key, name: spec.histogram.name, color: 'var(--c6)' }] : []), ...spec.lines];
  return (
    <section className="pane" data-testid={`pane-${spec.id}`} aria-label={spec.title}>
      <div className="chart-head">
        <span className="chart-title">{spec.title}</span>
        <span className="chart-values">
          {series.map((line) => (
            <span key={String(line.key)}>
              <span className="swatch" style={{ background: line.color }} />
              {line.name} <b>{format(value(last, line.key))}</b>
            </span>
          ))}
        </span>
      </div>
      <ResponsiveContainer width="100%" height={height + (showTimeAxis ? 24 : 0)}>
        <ComposedChart data={rows} syncId={syncId} margin={{ top: 2, right: 0, bottom: 0, left: 0 }}>
          <XAxis dataKey="t" type="number" scale="time" domain={domain} allowDataOverflow hide={!showTimeAxis} ticks={timeTicks(domain)} tickFormatter={timeTickFormatter(domain[1] - domain[0])} tickLine={false} stroke="var(--border)" />
          <YAxis orientation="right" width={Y_AXIS_WIDTH} domain={spec.domain ?? ['auto', 'auto']} tickFormatter={(v: number) => format(v)} tickCount={3} stroke="var(--border)" tickLine={false} />
          {spec.band && <ReferenceArea y1={spec.band[0]} y2={spec.band[1]} fill="var(--band)" fillOpacity={1} ifOverflow="hidden" />}
          {stretches.map((s) => (
            <ReferenceArea key={s.from} x1={Math.max(s.from, domain[0])} x2={Math.min(s.to, domain[1])} ifOverflow="hidden" fill="var(--sim)" fillOpacity={0.14} className="simulated-stretch" />
          ))}
          {spec.levels?.map((level) => <ReferenceLine key={level} y={level} stroke="var(--axis)" strokeOpacity={0.5} strokeDasharray="3 3" />)}
          {spec.histogram && (
            <BarLayer rows={rows} widthMs={widthMs} className="histogram" opacity={0.6} value={(row) => value(row, spec.histogram!.key)} up={(row) => (value(row, spec.histogram!.key) ?? 0) >= 0} />
          )}
          {spec.histogram && <Line dataKey={spec.histogram.key} stroke="none" dot={false} activeDot={false} isAnimationActive={false} name={spec.histogram.name} />}
          {spec.lines.map((line) => (
            <Line key={String(line.key)} dataKey={line.key} stroke={line.color} dot={false} strokeWidth={1.3} isAnimationActive={false} name={line.name} />
          ))}
          <Tooltip
            content={({ active, payload }) => {
              const row = payload?.[0]?.payload as ChartRow | undefined;
              if (!active || !row) return null;
              return <PinnedReadout items={series.map((line) => ({ label: line.name, value: format(value(row, line.key)), color: line.color }))} />;
            }}
            position={{ x: 4, y: 0 }}
            cursor={{ stroke: 'var(--axis)', strokeDasharray: '3 3' }}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </section>
  );
}
