import type { StorageReport } from '@/lib/dashboard/quality/storage';
import { formatCount, formatDate, formatDateTime, formatPercent } from '../ui/format';
import { StatusBadge } from '../ui/states';

const MODE = { embedded: 'Embedded PostgreSQL', plain: 'PostgreSQL', timescale: 'TimescaleDB' } as const;
const kept = (days: number | null) => (days === null ? 'until you say otherwise' : `${days} d`);
const bytes = (n: number | null) => (n === null ? '—' : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} kB`);

/** Database mode, retention horizons against the oldest data, and TimescaleDB's own view when it is there. */
export function StorageCard({ storage }: { storage: StorageReport }) {
  const { database, timescale } = storage;
  return (
    <section className="card" data-testid="storage">
      <div className="card-head">
        <h2>Storage and retention</h2>
        <span className="hint" data-testid="storage-mode">
          {MODE[database.mode]} · PostgreSQL {database.serverVersion}
          {database.timescaleVersion ? ` · TimescaleDB ${database.timescaleVersion}` : ''}
        </span>
      </div>
      <p style={{ marginTop: 0 }}>
        Rollups: <b>{storage.rollups}</b>.
      </p>
      <div className="table-wrap">
        <table className="data" data-testid="retention">
          <thead>
            <tr>
              <th>Timeframe</th>
              <th className="num">Raw rows kept</th>
              <th>Oldest candle</th>
              <th className="num">Rollups kept</th>
              <th>Oldest daily bucket</th>
              <th>How</th>
            </tr>
          </thead>
          <tbody>
            {storage.retention.map((r) => {
              const rawBeyond = r.oldestRaw !== null && r.rawCutoff !== null && r.oldestRaw < r.rawCutoff;
              const rollupBeyond = r.oldestAggregate !== null && r.aggregateCutoff !== null && r.oldestAggregate < r.aggregateCutoff;
              return (
                <tr key={r.timeframe} className={rawBeyond || rollupBeyond ? 'row-warn' : undefined} data-timeframe={r.timeframe}>
                  <td>{r.timeframe}</td>
                  <td className="num" title={r.rawCutoff === null ? undefined : `deleted before ${formatDate(r.rawCutoff)}`}>{kept(r.rawDays)}</td>
                  <td>
                    {formatDate(r.oldestRaw)} {rawBeyond && <StatusBadge status="warn">older than the horizon: the next retention run deletes it</StatusBadge>}
                  </td>
                  <td className="num" title={r.aggregateCutoff === null ? undefined : `deleted before ${formatDate(r.aggregateCutoff)}`}>{kept(r.aggregateDays)}</td>
                  <td>
                    {formatDate(r.oldestAggregate)} {rollupBeyond && <StatusBadge status="warn">older than the horizon</StatusBadge>}
                  </td>
                  <td className="hint">{r.how}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="hint">Labels live as long as their candles; hourly sentiment as long as the 1h candles. Set RETENTION_RAW and RETENTION_AGGREGATES to change this.</p>
      </div>
      {timescale && (
        <div className="grid" style={{ marginTop: 16 }} data-testid="timescale-extras">
          <div>
            <h2>Continuous aggregates</h2>
            <table className="data">
              <thead>
                <tr>
                  <th>View</th>
                  <th>Materialized up to</th>
                  <th>Real-time</th>
                </tr>
              </thead>
              <tbody>
                {timescale.aggregates.map((a) => (
                  <tr key={a.view}>
                    <td>
                      <code>{a.view}</code>
                    </td>
                    <td>{a.watermark === null ? <span className="hint">not materialized yet</span> : formatDateTime(a.watermark)}</td>
                    <td>{a.materializedOnly ? 'no' : 'yes'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <h2>Chunks and compression</h2>
            <table className="data">
              <thead>
                <tr>
                  <th>Hypertable</th>
                  <th className="num">Chunks</th>
                  <th className="num">Compressed</th>
                  <th className="num">Ratio</th>
                </tr>
              </thead>
              <tbody>
                {timescale.hypertables.map((h) => (
                  <tr key={h.hypertable}>
                    <td>
                      <code>{h.hypertable}</code>
                    </td>
                    <td className="num">{formatCount(h.chunks)}</td>
                    <td className="num">{formatCount(h.compressedChunks)}</td>
                    <td className="num" title={`${bytes(h.beforeBytes)} → ${bytes(h.afterBytes)}`}>
                      {h.beforeBytes && h.afterBytes ? `${(h.beforeBytes / h.afterBytes).toFixed(1)}×` : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div style={{ gridColumn: '1 / -1' }}>
            <h2>Background jobs</h2>
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>Job</th>
                    <th>Target</th>
                    <th>Every</th>
                    <th>Last run</th>
                    <th>Last success</th>
                    <th>Next start</th>
                    <th className="num">Failures</th>
                  </tr>
                </thead>
                <tbody>
                  {timescale.jobs.map((j) => (
                    <tr key={j.id} className={j.failures ? 'row-warn' : undefined}>
                      <td>{j.kind.replace('policy_', '')}</td>
                      <td>
                        <code>{j.target ?? '—'}</code>
                      </td>
                      <td>{j.schedule}</td>
                      <td>{j.lastStatus ? <StatusBadge status={j.lastStatus === 'Success' ? 'ok' : 'bad'}>{j.lastStatus}</StatusBadge> : <span className="hint">never</span>}</td>
                      <td>{formatDateTime(j.lastSuccess)}</td>
                      <td>{formatDateTime(j.nextStart)}</td>
                      <td className="num">
                        {formatCount(j.failures)} <span className="hint">/ {formatCount(j.runs)}</span> {j.runs ? <span className="hint">({formatPercent(j.failures / j.runs, 0)})</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
