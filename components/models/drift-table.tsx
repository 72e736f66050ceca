import type { DriftReport } from '@/lib/models/monitor';
import { formatCount, formatPercent } from '../ui/format';
import { EmptyState, StatusBadge } from '../ui/states';
import { DRIFT_BADGE, DRIFT_LABEL, fixed } from './format';

/** Per feature PSI and KS between the training window and the recent one, the worst first. */
export function DriftTable({ drift }: { drift: DriftReport }) {
  const t = drift.thresholds;
  return (
    <section className="card" data-testid="drift">
      <div className="card-head">
        <h2>Feature drift</h2>
        <span className="hint">
          training window {drift.reference ? `${drift.reference.from.slice(0, 10)} – ${drift.reference.to.slice(0, 10)}` : '—'} against {drift.recent.from.slice(0, 10)} – {drift.recent.to.slice(0, 10)} · PSI amber ≥ {t.psiAmber}, red ≥ {t.psiRed} · KS amber ≥ {t.ksAmber}, red ≥ {t.ksRed}
        </span>
      </div>
      {drift.reason ? (
        <EmptyState title="No drift to show">{<p style={{ margin: 0 }}>{drift.reason}</p>}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="drift-table">
            <thead>
              <tr><th>Feature</th><th>Status</th><th className="num">PSI</th><th className="num">KS</th><th className="num">Reference rows</th><th className="num">Recent rows</th><th className="num">Missing (recent)</th></tr>
            </thead>
            <tbody>
              {drift.labels && (
                <tr data-feature="label">
                  <td><strong>label distribution</strong></td>
                  <td><StatusBadge status={DRIFT_BADGE[drift.labels.status]}>{DRIFT_LABEL[drift.labels.status]}</StatusBadge></td>
                  <td className="num">{fixed(drift.labels.psi)}</td>
                  <td className="num" title={Object.entries(drift.labels.recent).map(([c, s]) => `${c} ${formatPercent(s)}`).join(', ')}>—</td>
                  <td className="num">{formatCount(drift.labels.referenceRows)}</td>
                  <td className="num">{formatCount(drift.labels.recentRows)}</td>
                  <td className="num">—</td>
                </tr>
              )}
              {drift.features.map((f) => (
                <tr key={f.feature} data-feature={f.feature} title={f.reason}>
                  <td>{f.feature}</td>
                  <td><StatusBadge status={DRIFT_BADGE[f.status]}>{DRIFT_LABEL[f.status]}</StatusBadge></td>
                  <td className="num">{fixed(f.psi)}</td>
                  <td className="num">{fixed(f.ks)}</td>
                  <td className="num">{formatCount(f.referenceRows)}</td>
                  <td className="num">{formatCount(f.recentRows)}</td>
                  <td className="num">{formatPercent(f.recentMissingShare)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
