import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { hasBinanceData } from '../helpers/shared';
import { expectTrainingSet, trainingHistoryScenario, type ScenarioResult } from './scenario';

describe.skipIf(!hasBinanceData('years of history on the embedded database'))('years of history you can train on (embedded PostgreSQL)', () => {
  let db: MigratedDatabase;
  let result: ScenarioResult;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    result = await trainingHistoryScenario({ DATABASE_URL: db.url });
  }, 900_000);
  afterAll(() => db?.drop());

  it('imports, labels, keeps through retention and exports every hour of 2021, each label equal to its definition', async () => {
    expectTrainingSet(result);
  });

  it('the stored history survived retention: every candle and label of the four files', async () => {
    const { rows } = await db.pool.query<{ symbol: string; candles: number; labels: number }>(`
      select symbol, count(*)::int as candles,
        (select count(*)::int from ml_labels l where l.symbol = f.symbol and l.label_type = 'price_direction') as labels
      from ml_features_ohlcv f group by symbol order by symbol`);
    expect(rows.map((r) => [r.symbol, r.candles])).toEqual([['ADA/USDT', 16_319], ['BNB/USDT', 16_319], ['BTC/USDT', 16_319], ['ETH/USDT', 16_319]]);
    for (const r of rows) expect(r.labels).toBeGreaterThan(16_000);
  });
});
