import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../lib/db/prisma';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { insertOhlcvSql, makeRows } from '../helpers/ohlcv-rows';

describe('Prisma schema matches the migrated tables', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    prisma = createPrisma(db.url);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('reads OHLCV feature rows written with SQL, typed and newest first', async () => {
    const rows = makeRows('SOL/USDT', '1h', new Date('2024-02-01T00:00:00Z'), 60, 5, 3);
    const { sql, params } = insertOhlcvSql(rows);
    await db.pool.query(sql, params);
    const latest = await prisma.ohlcvFeature.findMany({
      where: { symbol: 'SOL/USDT', timeframe: '1h' },
      orderBy: { timestamp: 'desc' },
      take: 2,
    });
    expect(latest.map((r) => r.timestamp.toISOString())).toEqual([rows[4]!.timestamp.toISOString(), rows[3]!.timestamp.toISOString()]);
    expect(latest[0]!.closePrice).toBe(rows[4]!.close);
    expect(latest[0]!.isSimulated).toBe(rows[4]!.isSimulated);
  });

  it('writes model metadata and predictions that SQL reads back', async () => {
    const trainedAt = new Date('2024-02-02T00:00:00Z');
    await prisma.modelMetadata.create({
      data: { modelId: 'regime-gbm', name: 'Regime GBM', version: '1', labelType: 'market_regime', featureSet: ['rsi', 'macd'], metrics: { f1: 0.61 }, kind: 'majority', parameters: { classIndex: 0 }, status: 'candidate', trainedAt },
    });
    await prisma.prediction.create({
      data: { timestamp: trainedAt, symbol: 'BTC/USDT', modelId: 'regime-gbm', predictedLabel: 'bullish', confidence: 0.7, classProbabilities: { bullish: 0.7, bearish: 0.1, sideways: 0.2 } },
    });
    const { rows } = await db.pool.query("select m.metrics->>'f1' as f1, p.class_probabilities->>'bullish' as p from ml_models_metadata m join ml_predictions p using (model_id)");
    expect(rows).toEqual([{ f1: '0.61', p: '0.7' }]);
  });

  it('is refused by the database constraints that keep data honest', async () => {
    await expect(
      prisma.label.create({
        data: { timestamp: new Date('2024-02-02T00:00:00Z'), futureTimestamp: new Date('2024-02-01T00:00:00Z'), symbol: 'BTC/USDT', labelType: 'price_direction', horizon: '4h', labelValue: 'up', source: 'binance', labelVersion: 'v1' },
      }),
    ).rejects.toThrow(/ml_labels_future_check/);
  });
});
