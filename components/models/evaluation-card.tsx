import type { Metrics } from '@/lib/models/metrics';
import type { WalkForwardResult } from '@/lib/models/walk-forward';
import { formatCount, formatPercent } from '../ui/format';
import { EmptyState } from '../ui/states';
import { fixed } from './format';

type Evaluation = WalkForwardResult & { symbol: string; from: string; to: string; evaluatedAt: string };

const ROWS: { key: keyof Metrics; label: string; better: 'higher' | 'lower'; format: (v: number) => string }[] = [
  { key: 'accuracy', label: 'Accuracy', better: 'higher', format: (v) => formatPercent(v) },
  { key: 'balancedAccuracy', label: 'Balanced accuracy', better: 'higher', format: (v) => formatPercent(v) },
  { key: 'logLoss', label: 'Log loss', better: 'lower', format: (v) => fixed(v, 4) },
  { key: 'brier', label: 'Brier score', better: 'lower', format: (v) => fixed(v, 4) },
];

function Confusion({ metrics, classNames }: { metrics: Metrics; classNames: string[] }) {
  return (
    <table className="data" data-testid="confusion-matrix" aria-label="Confusion matrix (rows: realized, columns: predicted)">
      <thead>
        <tr>
          <th>realized ↓ / predicted →</th>
          {classNames.map((c) => <th key={c} className="num">{c}</th>)}
          <th className="num">recall</th>
        </tr>
      </thead>
      <tbody>
        {classNames.map((c, i) => (
          <tr key={c}>
            <td>{c}</td>
            {metrics.confusion[i].map((n, j) => <td key={j} className="num" style={i === j ? { fontWeight: 600 } : undefined}>{formatCount(n)}</td>)}
            <td className="num">{formatPercent(metrics.perClass[c]?.recall)}</td>
          </tr>
        ))}
        <tr>
          <td>precision</td>
          {classNames.map((c) => <td key={c} className="num">{formatPercent(metrics.perClass[c]?.precision)}</td>)}
          <td />
        </tr>
      </tbody>
    </table>
  );
}

/** Walk-forward metrics beside the majority baseline on the same test rows, per fold and pooled. */
export function EvaluationCard({ evaluation }: { evaluation: Evaluation | null }) {
  if (!evaluation) {
    return (
      <section className="card" data-testid="evaluation">
        <div className="card-head"><h2>Walk-forward evaluation</h2></div>
        <EmptyState title="Not evaluated yet">
          <p style={{ margin: 0 }}>Run <code>npm run features -- models evaluate --model … --symbol … --from … --to …</code>.</p>
        </EmptyState>
      </section>
    );
  }
  const { model, baseline, rows } = evaluation.overall;
  return (
    <section className="card" data-testid="evaluation">
      <div className="card-head">
        <h2>Walk-forward evaluation</h2>
        <span className="hint">
          {evaluation.symbol}, {evaluation.from.slice(0, 10)} – {evaluation.to.slice(0, 10)}: {evaluation.folds.length} folds, {formatCount(rows)} test rows, purge {evaluation.purgeMs / 3_600_000} h
        </span>
      </div>
      <div className="grid" style={{ gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 16 }}>
        <table className="data" data-testid="metrics-vs-baseline">
          <thead>
            <tr><th>Metric</th><th className="num">Model</th><th className="num">Majority baseline</th></tr>
          </thead>
          <tbody>
            {ROWS.map((r) => {
              const m = model[r.key] as number;
              const b = baseline[r.key] as number;
              const wins = r.better === 'higher' ? m > b : m < b;
              return (
                <tr key={r.key}>
                  <td>{r.label}</td>
                  <td className={`num ${wins ? 'up' : 'down'}`}>{r.format(m)}</td>
                  <td className="num">{r.format(b)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <Confusion metrics={model} classNames={evaluation.classNames} />
      </div>
      <div className="table-wrap" style={{ marginTop: 12 }}>
        <table className="data" data-testid="folds">
          <thead>
            <tr><th>Train</th><th>Test</th><th className="num">Rows</th><th className="num">Accuracy</th><th className="num">Majority</th><th className="num">Log loss</th><th className="num">Majority</th></tr>
          </thead>
          <tbody>
            {evaluation.folds.map((f) => (
              <tr key={f.testFrom}>
                <td>{f.trainFrom.slice(0, 10)} – {f.trainTo.slice(0, 10)}</td>
                <td>{f.testFrom.slice(0, 10)} – {f.testTo.slice(0, 10)}</td>
                <td className="num">{formatCount(f.testRows)}</td>
                <td className="num">{formatPercent(f.model.accuracy)}</td>
                <td className="num">{formatPercent(f.baseline.accuracy)}</td>
                <td className="num">{fixed(f.model.logLoss, 4)}</td>
                <td className="num">{fixed(f.baseline.logLoss, 4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
