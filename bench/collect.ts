/**
 * Collection at scale (`npm run bench -- collect`): CPU per collection cycle, the 1,000-series
 * worker against the 1m cadence, and importing the real Binance files. Starts its own embedded
 * PostgreSQL (plain mode, rollup triggers on, as `npm start` runs) and a local Binance stand-in
 * serving klines in the real format (tests/market/binance-replay.ts) to a real ccxt binance.
 *
 *   npx tsx bench/collect.ts [--series 400] [--minute-series 1000]
 *
 * CPU is this process's (process.cpuUsage: collector, ccxt and the in-process stand-in, so an
 * upper bound for the collector) plus the database server's (its processes' /proc times): the
 * machine is shared, so wall time mostly measures the neighbours. Every ratio compares two
 * figures measured in this run.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';
import { collectCandles, collectCandleSeries, type CollectorDeps } from '@/lib/ingest/collect';
import { importCandlesFile } from '@/lib/ingest/import';
import { storeCandleBatches } from '@/lib/ingest/store';
import { inTransaction, poolSessions, withSession } from '@/lib/db/sql';
import { binanceDir, BINANCE_FILES } from '../tests/helpers/shared';
import { freePort } from '../tests/helpers/net';
import { klinesFromCandles, marketCandles, parsedCandles, startBinanceReplay } from '../tests/market/binance-replay';
import { scaleSource, scaleSymbols } from '../tests/worker/markets';

const { values: args } = parseArgs({ options: { series: { type: 'string', default: '400' }, 'minute-series': { type: 'string', default: '1000' } } });
const SERIES = Number(args.series);
const MINUTE_SERIES = Number(args['minute-series']);
const H = 3_600_000;
const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const STORED_HOURS = 1_100;
const STORED_MINUTES = 300;
const CYCLE_GOAL_S = 2;
const HEADROOM_GOAL = 0.5;
const IMPORT_GOAL = 50_000;
const CONCURRENCY = 16;

const load = () => `load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`;
const TICK_MS = 10; // USER_HZ: /proc times are in 1/100 s on Linux

/** CPU ms of the PostgreSQL server: the postmaster and its children (backends, writers). */
function serverCpuMs(dataDir: string): number {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(entry) === postmaster || Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * TICK_MS;
}

interface Cost {
  clientMs: number;
  serverMs: number;
  wallMs: number;
}
const total = (c: Cost) => c.clientMs + c.serverMs;

async function measure(dataDir: string, work: () => Promise<unknown>): Promise<Cost> {
  const server = serverCpuMs(dataDir);
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { clientMs: (used.user + used.system) / 1000, serverMs: serverCpuMs(dataDir) - server, wallMs: performance.now() - wall };
}

const fmt = (c: Cost, per = 1) =>
  `${(total(c) / per).toFixed(per > 1 ? 2 : 0).padStart(7)} ms CPU${per > 1 ? ' per series' : ''} (worker ${(c.clientMs / per).toFixed(per > 1 ? 2 : 0)}, database ${(c.serverMs / per).toFixed(per > 1 ? 2 : 0)}; ${(c.wallMs / 1000).toFixed(2)} s wall)`;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-bench-collect-'));
  chmodSync(dir, 0o755); // postgres runs as the OS user `postgres` when we are root
  const dataDir = path.join(dir, 'pg');
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), password: 'bench' });
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  let now = 0;
  const replay = await startBinanceReplay(() => now);
  try {
    await withSession(pool, (client) => migrate(client));
    const sessions = poolSessions(pool);
    const hourly = scaleSymbols(SERIES);
    const minutely = scaleSymbols(MINUTE_SERIES);
    console.log(`Collection at scale (${load()}): ${SERIES} hourly series with ${STORED_HOURS} stored candles, ${MINUTE_SERIES} 1m series`);

    // The exchange's history: a few more candles than stored, revealed as the clock moves.
    const seedSeries = async (symbols: string[], timeframe: string, size: number, stored: number) => {
      for (let start = 0; start < symbols.length; start += 50) {
        const requests = symbols.slice(start, start + 50).map((symbol, k) => {
          const candles = parsedCandles(klinesFromCandles(marketCandles(stored + 10, T0, size, start + k + 1, 50 + start + k), size));
          replay.setKlines(symbol.replace('/', ''), timeframe, klinesFromCandles(candles, size));
          return { symbol, timeframe, source: 'binance', candles: candles.slice(0, stored) };
        });
        await sessions((db) => inTransaction(db, () => storeCandleBatches(db, requests)));
      }
    };
    await seedSeries(hourly, '1h', H, STORED_HOURS);
    await pool.query('analyze');
    const deps: CollectorDeps = { sessions, source: scaleSource(replay, [...new Set([...hourly, ...minutely])]), now: () => now, concurrency: CONCURRENCY };
    const items = (symbols: string[], timeframe: string) => symbols.map((symbol) => ({ symbol, timeframe, runId: null }));

    // Each step moves the clock one hour: every series in it has exactly one new closed candle.
    let hour = STORED_HOURS;
    const nextHour = () => (now = T0 + (++hour) * H + M);
    nextHour();
    await collectCandleSeries(deps, items(hourly, '1h')); // warms ccxt, the JIT and the caches
    const cycles: [number, Cost][] = [];
    for (const n of [SERIES, SERIES / 2, SERIES / 4].map(Math.round)) {
      nextHour();
      cycles.push([n, await measure(dataDir, () => collectCandleSeries(deps, items(hourly.slice(0, n), '1h')))]);
    }
    const sample = hourly.slice(0, Math.round(SERIES / 4));
    nextHour();
    await pool.query('delete from ml_engine_state where symbol = any($1)', [sample]);
    const before = await measure(dataDir, async () => {
      for (const item of items(sample, '1h')) await collectCandles({ ...deps, runId: null }, item);
    });
    nextHour();
    const oneByOne = await measure(dataDir, async () => {
      for (const item of items(sample, '1h')) await collectCandles({ ...deps, runId: null }, item);
    });

    const [full] = cycles;
    console.log(`\nOne cycle, one new 1h candle per series (${CONCURRENCY} requests in flight)`);
    for (const [n, cost] of cycles) console.log(`  batched cycle, ${String(n).padStart(4)} series        ${fmt(cost, n)}`);
    console.log(`  one series at a time, ${sample.length} series    ${fmt(oneByOne, sample.length)}  (checkpoints, no batching)`);
    console.log(`  state replayed, ${sample.length} series          ${fmt(before, sample.length)}  (the path before: 1,000 stored candles re-read and replayed per series, one series at a time)`);
    const perSeries = total(full![1]) / full![0];
    const linear = cycles.map(([n, c]) => total(c) / n / perSeries);

    // 1,000 series of 1m candles on one worker: a cycle must end well inside the minute.
    await seedSeries(minutely, '1m', M, STORED_MINUTES);
    await pool.query('analyze');
    let minute = STORED_MINUTES;
    const nextMinute = () => (now = T0 + (++minute) * M + 5_000);
    nextMinute();
    await collectCandleSeries(deps, items(minutely, '1m'));
    const minuteCycles: Cost[] = [];
    for (let k = 0; k < 3; k++) {
      nextMinute();
      minuteCycles.push(await measure(dataDir, () => collectCandleSeries(deps, items(minutely, '1m'))));
    }
    const worst = minuteCycles.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
    console.log(`\n${MINUTE_SERIES} series of 1m candles on one worker (3 cycles, the slowest shown)`);
    console.log(`  cycle                                ${fmt(worst)}`);

    // Importing the four real files end to end (parse, validate, features, store), then again.
    let imported: { candles: number; cost: Cost; again: Cost } | string = `NOT RUN: the real Binance files are not in ${binanceDir} (set FF_SHARED_DIR)`;
    if (BINANCE_FILES.every((f) => existsSync(path.join(binanceDir, f)))) {
      let candles = 0;
      const files = BINANCE_FILES.map((file) => ({ file: path.join(binanceDir, file), symbol: `${file.replace('USDT_1h.csv', '')}/USDT`, timeframe: '1h' }));
      const cost = await measure(dataDir, async () => {
        for (const f of files) candles += (await importCandlesFile(sessions, f)).candles;
      });
      const again = await measure(dataDir, async () => {
        for (const f of files) await importCandlesFile(sessions, f);
      });
      imported = { candles, cost, again };
      console.log(`\nImport of the four real Binance 1h files (${candles.toLocaleString('en-US')} candles)`);
      console.log(`  first import                         ${fmt(cost)}  ${Math.round(candles / (cost.wallMs / 1000)).toLocaleString('en-US')} candles/s wall`);
      console.log(`  again, nothing changes               ${fmt(again)}  ${(again.wallMs / cost.wallMs).toFixed(2)}× the first import's wall time`);
    }

    const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');
    const cycleS = (perSeries * 400) / 1000;
    const headroom = 1 - worst.wallMs / 60_000;
    console.log(`\nTargets (${load()} at the end)`);
    console.log(`  400 series, one new candle each ≤ ${CYCLE_GOAL_S} s CPU   ${verdict(cycleS <= CYCLE_GOAL_S)} (${cycleS.toFixed(2)} s; ${(total(before) / sample.length / perSeries).toFixed(1)}× less than the path before)`);
    console.log(`  linear in the series                 per-series cost at ${cycles.map(([n]) => n).join(' / ')} series: ${linear.map((r) => r.toFixed(2)).join(' / ')} × the ${full![0]}-series figure`);
    console.log(`  ${MINUTE_SERIES} 1m series, ≥ ${HEADROOM_GOAL * 100}% headroom        ${verdict(headroom >= HEADROOM_GOAL)} (a cycle takes ${(worst.wallMs / 1000).toFixed(1)} s of the 60 s: ${(headroom * 100).toFixed(0)}% headroom, wall time on this shared machine)`);
    if (typeof imported === 'string') console.log(`  import ≥ ${IMPORT_GOAL.toLocaleString('en-US')} candles/s          ${imported}`);
    else {
      const rate = imported.candles / (imported.cost.wallMs / 1000);
      console.log(`  import ≥ ${IMPORT_GOAL.toLocaleString('en-US')} candles/s          ${verdict(rate >= IMPORT_GOAL)} (${Math.round(rate).toLocaleString('en-US')} candles/s wall)`);
    }
  } finally {
    await replay.close();
    await pool.end();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
