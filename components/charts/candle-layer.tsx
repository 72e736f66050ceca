'use client';

import { useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartRow } from './rows';

/**
 * Candles, volume and histograms as a handful of SVG paths (one per colour) instead of one React
 * element per bar: with ten synced charts of ~1,000 points each, per-bar components made every
 * range switch take seconds. Rendered as chart children, so they use the chart's own scales.
 */
type Scale = (value: number) => number | undefined;

const round = (n: number) => Math.round(n * 10) / 10;

function slot(x: Scale, t: number, widthMs: number): { left: number; width: number } | null {
  const a = x(t);
  const b = x(t + widthMs);
  if (a === undefined || b === undefined) return null;
  return { left: a, width: Math.max(1, b - a) };
}

export function CandleLayer({ rows, widthMs }: { rows: readonly ChartRow[]; widthMs: number }) {
  const x = useXAxisScale() as Scale | undefined;
  const y = useYAxisScale('price') as Scale | undefined;
  if (!x || !y) return null;
  const paths = { upWick: [] as string[], downWick: [] as string[], upBody: [] as string[], downBody: [] as string[] };
  for (const row of rows) {
    if (row.open === null || row.close === null || row.high === null || row.low === null) continue;
    const s = slot(x, row.t, widthMs);
    const [open, close, high, low] = [y(row.open), y(row.close), y(row.high), y(row.low)];
    if (!s || open === undefined || close === undefined || high === undefined || low === undefined) continue;
    const up = row.close >= row.open;
    const center = round(s.left + s.width / 2);
    const body = Math.max(1, s.width * 0.72);
    const top = Math.min(open, close);
    (up ? paths.upWick : paths.downWick).push(`M${center} ${round(high)}V${round(low)}`);
    (up ? paths.upBody : paths.downBody).push(`M${round(center - body / 2)} ${round(top)}h${round(body)}v${round(Math.max(1, Math.abs(close - open)))}h${round(-body)}Z`);
  }
  return (
    <g className="candles" data-candles={rows.length}>
      <path className="candle-wicks up" d={paths.upWick.join('')} stroke="var(--up)" />
      <path className="candle-wicks down" d={paths.downWick.join('')} stroke="var(--down)" />
      <path className="candle-bodies up" d={paths.upBody.join('')} fill="var(--up)" />
      <path className="candle-bodies down" d={paths.downBody.join('')} fill="var(--down)" />
    </g>
  );
}

/** Bars from a baseline, coloured by a rule (volume by candle direction, histograms by sign). */
export function BarLayer({ rows, widthMs, value, up, yAxisId, className, opacity = 1 }: {
  rows: readonly ChartRow[];
  widthMs: number;
  value: (row: ChartRow) => number | null;
  up: (row: ChartRow) => boolean;
  yAxisId?: string;
  className: string;
  opacity?: number;
}) {
  const x = useXAxisScale() as Scale | undefined;
  const y = useYAxisScale(yAxisId) as Scale | undefined;
  if (!x || !y) return null;
  const base = y(0);
  if (base === undefined) return null;
  const paths = { up: [] as string[], down: [] as string[] };
  for (const row of rows) {
    const v = value(row);
    const s = slot(x, row.t, widthMs);
    const top = v === null ? undefined : y(v);
    if (v === null || !s || top === undefined) continue;
    const width = Math.max(0.8, s.width * 0.72);
    const left = s.left + (s.width - width) / 2;
    (up(row) ? paths.up : paths.down).push(`M${round(left)} ${round(base)}H${round(left + width)}V${round(top)}H${round(left)}Z`);
  }
  return (
    <g className={className} opacity={opacity}>
      <path className="bars up" d={paths.up.join('')} fill="var(--up)" />
      <path className="bars down" d={paths.down.join('')} fill="var(--down)" />
    </g>
  );
}
