import type { ModelRecord } from '@/lib/models/contract';
import { formatPercent } from '../ui/format';
import { StatusBadge } from '../ui/states';
import { fixed, STATUS_BADGE } from './format';

interface Summary {
  walkForward?: { rows: number; folds: number; model: Record<string, number>; majorityBaseline: Record<string, number> };
}

/** Every version with its status and its walk-forward numbers beside the majority baseline's. */
export function VersionsTable({ models, selected, onSelect }: { models: ModelRecord[]; selected?: string; onSelect?: (id: string) => void }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="model-versions">
        <thead>
          <tr>
            <th>Model</th>
            <th>Status</th>
            <th>Kind</th>
            <th>Predicts</th>
            <th className="num">Accuracy (majority)</th>
            <th className="num">Log loss (majority)</th>
            <th>Registered</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => {
            const wf = (m.metrics as Summary).walkForward;
            return (
              <tr key={m.modelId} aria-selected={m.modelId === selected} data-model={m.modelId} style={m.modelId === selected ? { background: 'var(--grid)' } : undefined}>
                <td>
                  {onSelect ? (
                    <button type="button" className="link-button" onClick={() => onSelect(m.modelId)} style={{ background: 'none', border: 0, padding: 0, color: 'inherit', textDecoration: 'underline', cursor: 'pointer', font: 'inherit' }}>
                      {m.modelId}
                    </button>
                  ) : m.modelId}
                </td>
                <td><StatusBadge status={STATUS_BADGE[m.status]}>{m.status}</StatusBadge></td>
                <td>{m.kind}</td>
                <td>{m.labelType} {m.horizon} · {m.timeframe}</td>
                <td className="num">{wf ? `${formatPercent(wf.model.accuracy)} (${formatPercent(wf.majorityBaseline.accuracy)})` : 'not evaluated'}</td>
                <td className="num">{wf ? `${fixed(wf.model.logLoss)} (${fixed(wf.majorityBaseline.logLoss)})` : '—'}</td>
                <td>{m.registeredAt.slice(0, 10)} by {m.registeredBy}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
