import type { InputProvenance } from '@/lib/dashboard/sentiment';
import { rateStatus, THRESHOLDS } from '@/lib/dashboard/thresholds';
import { formatCount, formatPercent } from '../ui/format';
import { StatusBadge } from '../ui/states';

const INPUT_LABEL: Record<string, string> = { fear_greed: 'Fear & Greed index', news: 'News headlines', social: 'Social posts', candles: 'Candles (whale proxy)', dominance: 'BTC dominance' };

/** Which inputs each row was computed from, and how often one was a simulated stand-in. */
export function SentimentProvenance({ inputs }: { inputs: InputProvenance[] }) {
  return (
    <section className="card" data-testid="sentiment-inputs">
      <div className="card-head">
        <h2>Inputs: real or simulated</h2>
        <span className="hint">rows in the window (raw rows, kept 90 days) by what each input was</span>
      </div>
      {!inputs.length ? (
        <p className="hint">No raw rows in this window (they age out after 90 days; the charts above read the rollups).</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th>Input</th>
                <th className="num">Real</th>
                <th className="num">Simulated</th>
                <th>Simulated share</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {inputs.map((input) => {
                const share = input.simulated / (input.real + input.simulated);
                const status = rateStatus(share, THRESHOLDS.simulatedRate);
                return (
                  <tr key={input.input} className={status === 'bad' ? 'row-bad' : status === 'warn' ? 'row-warn' : undefined}>
                    <td>{INPUT_LABEL[input.input] ?? input.input}</td>
                    <td className="num">{formatCount(input.real)}</td>
                    <td className="num">{formatCount(input.simulated)}</td>
                    <td style={{ width: '30%' }}>
                      <div className="meter">
                        <span style={{ width: `${Math.max(share * 100, share ? 1 : 0)}%`, background: 'var(--sim)' }} />
                      </div>
                    </td>
                    <td>
                      <StatusBadge status={status}>{formatPercent(share)}</StatusBadge>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
