'use client';

import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { RealizedPerformance } from '@/lib/models/monitor';
import { TimeSeriesChart } from '../charts/time-series-chart';
import { formatCount, formatPercent } from '../ui/format';
import { EmptyState } from '../ui/states';

/** What the stored predictions turned out to be worth once their labels were realized. */
export function PerformanceCard({ performance, baselineAccuracy }: { performance: RealizedPerformance; baselineAccuracy?: number }) {
  const rolling = performance.rolling.map((p) => ({ t: p.timestamp, accuracy: p.accuracy }));
  const calibration = performance.calibration.filter((b) => b.count > 0).map((b) => ({ confidence: b.meanConfidence, observed: b.observedAccuracy, count: b.count }));
  return (
    <section className="card" data-testid="realized-performance">
      <div className="card-head">
        <h2>Realized accuracy and calibration</h2>
        <span className="hint">
          {formatCount(performance.predictions)} predictions, {formatCount(performance.scored)} with a realized label
          {performance.metrics ? ` · accuracy ${formatPercent(performance.metrics.accuracy)}` : ''}
        </span>
      </div>
      {performance.scored === 0 ? (
        <EmptyState title="No realized labels yet">
          <p style={{ margin: 0 }}>Predictions are scored once their horizon has passed and the labels are generated.</p>
        </EmptyState>
      ) : (
        <div className="grid" style={{ gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)', gap: 16 }}>
          <div>
            <div className="chart-title">Rolling accuracy (last {performance.rolling.at(-1)?.window ?? 0} scored predictions)</div>
            <TimeSeriesChart
              testId="rolling-accuracy"
              rows={rolling}
              series={[{ key: 'accuracy', name: 'accuracy', color: '#3b82f6' }]}
              widthMs={3_600_000}
              domain={[0, 1]}
              yTicks={[0, 0.25, 0.5, 0.75, 1]}
              levels={baselineAccuracy === undefined ? [] : [{ y: baselineAccuracy, label: 'majority (walk-forward)' }]}
              format={(v) => formatPercent(v, 0)}
            />
          </div>
          <div data-testid="calibration">
            <div className="chart-title">Calibration: predicted confidence against how often it came true</div>
            <ResponsiveContainer width="100%" height={180}>
              <ComposedChart data={calibration} margin={{ top: 10, right: 10, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="var(--grid)" />
                <XAxis dataKey="confidence" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={(v: number) => formatPercent(v, 0)} stroke="var(--border)" />
                <YAxis type="number" domain={[0, 1]} ticks={[0, 0.5, 1]} tickFormatter={(v: number) => formatPercent(v, 0)} stroke="var(--border)" width={44} />
                <Tooltip formatter={(value) => formatPercent(Number(value))} />
                <Line data={[{ confidence: 0, observed: 0 }, { confidence: 1, observed: 1 }]} dataKey="observed" stroke="var(--border)" strokeDasharray="4 4" dot={false} isAnimationActive={false} name="perfect" />
                <Scatter dataKey="observed" fill="#f59e0b" name="observed" isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        </div>
      )}
    </section>
  );
}
