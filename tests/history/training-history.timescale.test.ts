import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinanceData } from '../helpers/shared';
import { expectTrainingSet, trainingHistoryScenario, type ScenarioResult } from './scenario';

/**
 * The same sequence against a real TimescaleDB server (TIMESCALE_TEST_URL, which .ci/run starts
 * from ../shared/timescaledb/): hypertables, compression, continuous aggregates, and retention by
 * the configured tiers instead of the fixed policies that used to drop the history.
 */
const serverUrl = process.env.TIMESCALE_TEST_URL;
if (!serverUrl) console.warn('[years of history on TimescaleDB] NOT RUN: set TIMESCALE_TEST_URL to a TimescaleDB server (.ci/run starts one from ../shared/timescaledb/).');
const run = Boolean(serverUrl) && hasBinanceData('years of history on TimescaleDB');

describe.runIf(run)('years of history you can train on (TimescaleDB server)', () => {
  const name = `ff_history_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const url = new URL(serverUrl ?? 'postgresql://unset');
  url.pathname = `/${name}`;
  let result: ScenarioResult;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin(`create database ${name}`);
    result = await trainingHistoryScenario({ DATABASE_URL: url.toString(), DATABASE_MODE: 'timescale' });
  }, 1_200_000);
  afterAll(() => admin(`drop database if exists ${name} with (force)`));

  it('imports, labels, keeps through retention and exports every hour of 2021, each label equal to its definition', () => {
    expectTrainingSet(result);
  });

  it('is a TimescaleDB database without the fixed retention policies, its history intact', async () => {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows: [mode] } = await client.query("select mode from ff_schema_migrations limit 1");
      expect(mode.mode).toBe('timescale');
      const { rows: policies } = await client.query("select count(*)::int as n from timescaledb_information.jobs where proc_name = 'policy_retention'");
      expect(policies[0].n).toBe(0);
      const { rows: candles } = await client.query("select symbol, count(*)::int as n from ml_features_ohlcv group by symbol order by symbol");
      expect(candles).toEqual(['ADA/USDT', 'BNB/USDT', 'BTC/USDT', 'ETH/USDT'].map((symbol) => ({ symbol, n: 16_319 })));
    } finally {
      await client.end();
    }
  });
});
