import type { LabelClass } from '@/lib/dashboard/labels';
import { formatCount, formatPercent } from '../ui/format';

const ROW = 26;
const LABEL_WIDTH = 120;

/**
 * Realized return by label: a table of the numbers, then box plots on one shared scale (whiskers
 * p10–p90, box p25–p75, median line, mean tick). A label that separates outcomes well shows boxes
 * on either side of zero.
 */
export function ReturnBoxes({ classes, colors }: { classes: LabelClass[]; colors: Record<string, string> }) {
  const values = classes.flatMap((c) => (c.quantiles ? [c.quantiles.p10, c.quantiles.p90] : [])).concat(classes.map((c) => c.meanReturn ?? 0), 0);
  const span = Math.max(...values.map(Math.abs), 1e-6) * 1.08;
  const x = (v: number) => `${((v + span) / (2 * span)) * 100}%`;
  return (
    <div data-testid="return-boxes">
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Label</th>
              <th className="num">Labels</th>
              <th className="num">Mean</th>
              <th className="num">p10</th>
              <th className="num">Median</th>
              <th className="num">p90</th>
            </tr>
          </thead>
          <tbody>
            {classes.map((c) => (
              <tr key={c.value}>
                <td>
                  <span className="swatch" style={{ background: colors[c.value], height: 10 }} />
                  {c.value}
                </td>
                <td className="num">{formatCount(c.count)}</td>
                <td className={`num ${(c.meanReturn ?? 0) < 0 ? 'down' : 'up'}`}>{formatPercent(c.meanReturn, 2, true)}</td>
                <td className="num">{formatPercent(c.quantiles?.p10, 2, true)}</td>
                <td className="num">{formatPercent(c.quantiles?.p50, 2, true)}</td>
                <td className="num">{formatPercent(c.quantiles?.p90, 2, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: `${LABEL_WIDTH}px 1fr`, alignItems: 'center', marginTop: 12, rowGap: 2 }}>
        {classes.map((c) => {
          const q = c.quantiles;
          const color = colors[c.value];
          return [
            <span key={`${c.value}-name`} className="hint">
              {c.value}
            </span>,
            <svg key={`${c.value}-plot`} width="100%" height={ROW} role="img" aria-label={`${c.value}: realized returns`} style={{ overflow: 'visible' }}>
              <line x1={x(0)} x2={x(0)} y1={0} y2={ROW} stroke="var(--axis)" strokeDasharray="2 3" />
              {q && (
                <>
                  <line x1={x(q.p10)} x2={x(q.p90)} y1={ROW / 2} y2={ROW / 2} stroke={color} />
                  <line x1={x(q.p10)} x2={x(q.p10)} y1={ROW / 2 - 5} y2={ROW / 2 + 5} stroke={color} />
                  <line x1={x(q.p90)} x2={x(q.p90)} y1={ROW / 2 - 5} y2={ROW / 2 + 5} stroke={color} />
                  <rect x={x(q.p25)} y={4} width={`${Math.max(0.4, ((q.p75 - q.p25) / (2 * span)) * 100)}%`} height={ROW - 8} fill={color} fillOpacity={0.3} stroke={color} />
                  <line x1={x(q.p50)} x2={x(q.p50)} y1={3} y2={ROW - 3} stroke={color} strokeWidth={2.5} />
                </>
              )}
              {c.meanReturn !== null && <line x1={x(c.meanReturn)} x2={x(c.meanReturn)} y1={1} y2={ROW - 1} stroke="var(--text)" strokeWidth={1.5} strokeDasharray="2 1" />}
            </svg>,
          ];
        })}
        <span />
        <div className="legend-row" style={{ justifyContent: 'space-between' }}>
          <span>{formatPercent(-span, 1)}</span>
          <span>0</span>
          <span>{formatPercent(span, 1, true)}</span>
        </div>
      </div>
      <p className="hint" style={{ margin: '6px 0 0' }}>Box p25–p75, whiskers p10–p90, solid line median, dotted line mean; from the raw labels (kept 90 days).</p>
    </div>
  );
}
