import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/env';
import { listRuns, requestRuns } from '../../lib/jobs/runs';
import { startWorker, type RunningWorker } from '../../lib/jobs/worker';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { klinesFromCandles, marketCandles, startBinanceReplay, type BinanceReplay } from '../market/binance-replay';
import { scaleSource } from './markets';
import { waitFor } from './processes';

const H = 3_600_000;

/**
 * Issue #10 item 4: a collection run reports the gaps in the candles it received. The worker
 * collects BTC/USDT 1h through ccxt from the replayed Binance, which lacks 2 candles at one place
 * and 5 at another; the run's row keeps count, missing, largest and first, and the runs list (the
 * admin page's source) returns them.
 */
describe('a collection run whose candles have gaps', () => {
  let db: TestDatabase;
  let replay: BinanceReplay;
  let worker: RunningWorker;
  let all: ReturnType<typeof marketCandles>;
  let served: typeof all;
  const at = (i: number) => all[i]!.timestamp;

  beforeAll(async () => {
    // The served candles end at the last closed hour; a run straddling the next hour would find one more due.
    const toNextHour = H - (Date.now() % H);
    if (toNextHour < 60_000) await new Promise((resolve) => setTimeout(resolve, toNextHour + 1_000));
    const lastClosed = Math.floor(Date.now() / H) * H - H;
    all = marketCandles(300, lastClosed - 299 * H, H, 23, 42_000);
    // Hours 100–101 and 200–204 never arrive: the first gap is not the largest.
    served = all.filter((_, i) => !(i >= 100 && i <= 101) && !(i >= 200 && i <= 204));
    db = await createMigratedDatabase();
    replay = await startBinanceReplay();
    replay.setKlines('BTCUSDT', '1h', klinesFromCandles(served, H));
    const cfg = parseConfig({ DATABASE_URL: db.url, WORKER_SCHEDULE: 'false', WORKER_RETRY_LIMIT: '0' });
    worker = await startWorker({ cfg, databaseUrl: db.url, source: scaleSource(replay, []), log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await replay?.close();
    await db?.drop();
  });

  it('stores count, missing, largest and first on the run, and the runs list returns them', async () => {
    const [runId] = await requestRuns(db.pool, worker.boss, [{ kind: 'candles', symbol: 'BTC/USDT', timeframe: '1h' }], 'admin');
    const run = await waitFor('the collection run to finish', async () => {
      const { rows } = await db.pool.query('select status, rows_written, gaps, error from collection_runs where id = $1', [runId]);
      return ['succeeded', 'failed'].includes(rows[0]?.status) ? rows[0] : null;
    }, 60_000);
    expect(run).toMatchObject({ status: 'succeeded', rows_written: served.length, error: null });
    const first = { from: at(100), to: at(101), missing: 2 };
    const largest = { from: at(200), to: at(204), missing: 5 };
    expect(run.gaps).toEqual({ count: 2, missing: 7, largest, first });
    // Only what arrived was stored: the gap is reported, not filled.
    const { rows: [stored] } = await db.pool.query("select count(*)::int as n, bool_or(is_simulated) as simulated from ml_features_ohlcv where symbol = 'BTC/USDT' and timeframe = '1h'");
    expect(stored).toEqual({ n: served.length, simulated: false });

    const [listed] = await listRuns(db.pool, { limit: 1 });
    expect(listed).toMatchObject({ id: runId, kind: 'candles', gaps: { count: 2, missing: 7, largest, first } });
  });
});
