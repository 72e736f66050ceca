import { FRESHNESS_BAD_CANDLES, FRESHNESS_SLACK_MS, THRESHOLDS } from '@/lib/dashboard/thresholds';
import { formatPercent } from '../ui/format';

/** The rules behind every amber and red on the dashboard, printed from the same constants. */
export function ThresholdsCard() {
  return (
    <section className="card" data-testid="thresholds">
      <div className="card-head">
        <h2>Thresholds</h2>
        <span className="hint">amber at or above the first, red at or above the second</span>
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>Measure</th>
            <th className="num">Amber</th>
            <th className="num">Red</th>
          </tr>
        </thead>
        <tbody>
          {Object.values(THRESHOLDS).map((t) => (
            <tr key={t.label}>
              <td className="wrap">{t.label}</td>
              <td className="num status-warn">{formatPercent(t.warn, 1)}</td>
              <td className="num status-bad">{formatPercent(t.bad, 1)}</td>
            </tr>
          ))}
          <tr>
            <td className="wrap">Freshness: candles missed after the newest one closed (+{FRESHNESS_SLACK_MS / 60_000} min slack)</td>
            <td className="num status-warn">1</td>
            <td className="num status-bad">{FRESHNESS_BAD_CANDLES + 1}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
