import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { hasBinanceData } from '../helpers/shared';
import { independentPriceDirection, trainingHistoryScenario, type ScenarioResult } from './scenario';

describe.skipIf(!hasBinanceData('years of history on the embedded database'))('years of history you can train on (embedded PostgreSQL)', () => {
  let db: MigratedDatabase;
  let result: ScenarioResult;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    result = await trainingHistoryScenario({ DATABASE_URL: db.url });
  }, 900_000);
  afterAll(() => db?.drop());

  it('imports, labels, keeps through retention and exports every hour of 2021, each label equal to its definition', async () => {
    for (const step of [...result.steps.import, ...result.steps.labels, ...result.steps.retention, ...result.steps.export]) {
      expect(step.code, step.stderr).toBe(0);
    }
    expect(result.steps.labels[0]!.stdout).toMatch(/sector_rotation basket: BTC\/USDT, ETH\/USDT, BNB\/USDT, ADA\/USDT/);
    expect(result.steps.retention[0]!.stdout).toMatch(/deleted 0 rows in total/);

    expect(result.rows.length).toBeGreaterThan(8_700);
    const expected = independentPriceDirection('BTCUSDT_1h.csv');
    for (const row of result.rows) {
      const t = Date.parse(row.timestamp!);
      expect(t).toBeGreaterThanOrEqual(Date.UTC(2021, 0, 1));
      expect(t).toBeLessThan(Date.UTC(2022, 0, 1));
      const label = expected.get(t);
      expect(label, row.timestamp).toBeDefined();
      expect(row.label_value, row.timestamp).toBe(label!.value);
      expect(Number(row.label_confidence)).toBeCloseTo(label!.confidence, 12);
      expect(Number(row.realized_return)).toBeCloseTo(label!.realized, 12);
    }
    expect(result.meta).toMatchObject({ label: { type: 'price_direction', horizon: '4h' } });
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
