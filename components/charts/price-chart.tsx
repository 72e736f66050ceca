'use client';

import { CartesianGrid, ComposedChart, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SimulatedStretch } from '@/lib/dashboard/stretches';
import { formatAxisPrice, formatCompact, formatPercent, formatPrice, niceTicks, timeTickFormatter, timeTicks } from '../ui/format';
import { BarLayer, CandleLayer } from './candle-layer';
import { PinnedReadout } from './readout';
import type { ChartRow } from './rows';
import { timeDomain, Y_AXIS_WIDTH } from './time';

interface Props {
  rows: ChartRow[];
  widthMs: number;
  stretches: SimulatedStretch[];
  syncId: string;
  vwapLabel: string;
  height?: number;
}

function PriceReadout({ active, payload, vwapLabel }: { active?: boolean; payload?: readonly { payload?: ChartRow }[]; vwapLabel: string }) {
  const row = payload?.[0]?.payload;
  if (!active || !row || row.close === null) return null;
  const change = row.open ? row.close / row.open - 1 : null;
  return (
    <PinnedReadout
      time={row.t}
      items={[
        { label: 'O', value: formatPrice(row.open) },
        { label: 'H', value: formatPrice(row.high) },
        { label: 'L', value: formatPrice(row.low) },
        { label: 'C', value: formatPrice(row.close), color: row.close >= row.open ? 'var(--up)' : 'var(--down)' },
        { label: '', value: formatPercent(change, 2, true), color: change !== null && change < 0 ? 'var(--down)' : 'var(--up)' },
        { label: 'Vol', value: formatCompact(row.volume) },
        { label: 'BB', value: `${formatPrice(row.bollinger_lower)} – ${formatPrice(row.bollinger_upper)}`, color: 'var(--c1)' },
        { label: vwapLabel, value: formatPrice(row.vwap), color: 'var(--c2)' },
        ...(row.simulated ? [{ label: 'simulated', value: `${row.simulated}/${row.candles}`, color: 'var(--sim)' }] : []),
      ]}
    />
  );
}

/** Price range to show: every low and high, and the Bollinger bands where they reach further. */
function priceDomain(rows: readonly ChartRow[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    for (const v of [r.low, r.bollinger_lower]) if (v !== null && v < min) min = v;
    for (const v of [r.high, r.bollinger_upper]) if (v !== null && v > max) max = v;
  }
  if (!Number.isFinite(min)) return [0, 1];
  const pad = (max - min) * 0.04 || Math.abs(max) * 0.01 || 1;
  return [min - pad, max + pad];
}

/** Candlesticks with volume underneath, Bollinger bands and VWAP on top, simulated stretches shaded. */
export function PriceChart({ rows, widthMs, stretches, syncId, vwapLabel, height = 380 }: Props) {
  const domain = timeDomain(rows.map((r) => r.t), widthMs);
  const maxVolume = rows.reduce((max, r) => Math.max(max, r.volume ?? 0), 0);
  const prices = priceDomain(rows);
  return (
    <div data-testid="price-chart">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={rows} syncId={syncId} margin={{ top: 22, right: 0, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} yAxisId="price" />
          <XAxis dataKey="t" type="number" scale="time" domain={domain} allowDataOverflow ticks={timeTicks(domain)} tickFormatter={timeTickFormatter(domain[1] - domain[0])} interval="preserveStartEnd" stroke="var(--border)" tickLine={false} />
          <YAxis yAxisId="price" orientation="right" width={Y_AXIS_WIDTH} domain={prices} ticks={niceTicks(prices[0], prices[1], 6)} allowDataOverflow tickFormatter={formatAxisPrice} stroke="var(--border)" tickLine={false} />
          <YAxis yAxisId="volume" hide domain={[0, maxVolume * 4.5 || 1]} allowDataOverflow />
          {stretches.map((s) => (
            <ReferenceArea
              key={s.from}
              yAxisId="price"
              x1={Math.max(s.from, domain[0])}
              x2={Math.min(s.to, domain[1])}
              ifOverflow="hidden"
              fill="var(--sim)"
              fillOpacity={0.16}
              stroke="var(--sim)"
              strokeOpacity={0.5}
              strokeDasharray="3 3"
              label={{ value: `simulated · ${s.candles}`, position: 'insideTopRight', fill: 'var(--sim)', fontSize: 11, fontWeight: 600 }}
              className="simulated-stretch"
            />
          ))}
          <BarLayer rows={rows} widthMs={widthMs} yAxisId="volume" className="volume" opacity={0.3} value={(r) => r.volume} up={(r) => (r.close ?? 0) >= (r.open ?? 0)} />
          <Line yAxisId="price" dataKey="bollinger_upper" stroke="var(--c1)" strokeOpacity={0.55} dot={false} strokeWidth={1} isAnimationActive={false} name="BB upper" />
          <Line yAxisId="price" dataKey="bollinger_middle" stroke="var(--c1)" strokeOpacity={0.35} strokeDasharray="4 3" dot={false} strokeWidth={1} isAnimationActive={false} name="BB middle" />
          <Line yAxisId="price" dataKey="bollinger_lower" stroke="var(--c1)" strokeOpacity={0.55} dot={false} strokeWidth={1} isAnimationActive={false} name="BB lower" />
          <CandleLayer rows={rows} widthMs={widthMs} />
          <Line yAxisId="price" dataKey="vwap" stroke="var(--c2)" dot={false} strokeWidth={1.4} isAnimationActive={false} name={vwapLabel} />
          <Tooltip
            content={(props) => <PriceReadout {...props} vwapLabel={vwapLabel} />}
            position={{ x: 4, y: 0 }}
            cursor={{ stroke: 'var(--axis)', strokeDasharray: '3 3' }}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
