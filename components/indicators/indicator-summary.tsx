import type { IndicatorSeries } from '@/lib/dashboard/indicators';
import { formatCount, formatDateTime, formatPercent, formatPrice } from '../ui/format';

const TABLE_LABEL = { raw: 'raw candles', '1h': 'hourly rollup', '1d': 'daily rollup' } as const;

/** The line above the chart: what is drawn, from where, and how much of it is simulated. */
export function IndicatorSummary({ series, vwapLabel }: { series: IndicatorSeries; vwapLabel: string }) {
  const { t, open, close, high, low } = series.columns;
  const n = t.length;
  const first = { t: t[0]!, open: open[0]! };
  const last = { t: t[n - 1]!, close: close[n - 1]! };
  const change = last.close / first.open - 1;
  const simulated = series.simulatedStretches.reduce((sum, s) => sum + s.candles, 0);
  const candles = series.columns.candles.reduce((sum, c) => sum + c, 0);
  return (
    <div className="chart-head" style={{ marginBottom: 8, rowGap: 6 }}>
      <span className="chart-title" style={{ fontSize: 15 }}>
        {series.symbol} · {series.timeframe}
      </span>
      <span className="chart-values" data-testid="chart-summary">
        <span>
          Last <b>{formatPrice(last.close)}</b> <span className={change >= 0 ? 'up' : 'down'}>{formatPercent(change, 2, true)}</span>
        </span>
        <span>
          H <b>{formatPrice(Math.max(...high))}</b> L <b>{formatPrice(Math.min(...low))}</b>
        </span>
        <span>
          {formatDateTime(first.t)} → {formatDateTime(last.t)} UTC
        </span>
        <span>
          <b>{formatCount(n)}</b> {series.bucket.exact ? 'candles' : `× ${series.bucket.width} buckets`} from the {TABLE_LABEL[series.table]}
        </span>
        <span>
          <span className="swatch" style={{ background: 'var(--c1)' }} />
          BB 20 2 <span className="swatch" style={{ background: 'var(--c2)', marginLeft: 8 }} />
          {vwapLabel}
        </span>
      </span>
      {simulated > 0 && (
        <span className="sim-note" data-testid="simulated-note">
          <span className="sim-swatch" /> {formatCount(simulated)} of {formatCount(candles)} candles simulated ({formatPercent(simulated / candles)}) — shaded
        </span>
      )}
    </div>
  );
}
