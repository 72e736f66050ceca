import { describe, expect, it } from 'vitest';
import { assembleRow, asOfSentiment, byteRange, type JoinedRecord } from '@/lib/export';
import { labelColumns } from '@/lib/export/columns';

const H = 3_600_000;

describe('as-of sentiment join', () => {
  const rows = [0, 1, 2, 5].map((h) => ({ ts: h * H }));
  it('takes the newest row whose hour ended by the candle close, within the tolerance', () => {
    // A 1h candle at 2h closes at 3h: hour 2 ended then.
    expect(asOfSentiment(rows, 2 * H, H, 0)?.ts).toBe(2 * H);
    // At 4h: hour 3 and 4 are missing; hour 2 ended 2h before the close.
    expect(asOfSentiment(rows, 4 * H, H, 0)).toBeNull();
    expect(asOfSentiment(rows, 4 * H, H, H)).toBeNull();
    expect(asOfSentiment(rows, 4 * H, H, 2 * H)?.ts).toBe(2 * H);
    // A 4h candle at 0h closes at 4h: hour 3 is the exact one (missing), hour 2 one hour older; hour 5 is later news.
    expect(asOfSentiment(rows, 0, 4 * H, H)?.ts).toBe(2 * H);
    expect(asOfSentiment(rows, 4 * H, 4 * H, 24 * H)?.ts).toBe(5 * H);
    expect(asOfSentiment([], 0, H, 24 * H)).toBeNull();
    expect(asOfSentiment(rows, -2 * H, H, 24 * H)).toBeNull();
  });
});

describe('simulated inputs, per input', () => {
  const labels = [{ type: 'price_direction', horizon: '4h', name: 'price_direction_4h', spec: null }, { type: 'market_regime', horizon: '12h', name: 'market_regime_12h', spec: null }] as const;
  const record = (over: Partial<JoinedRecord> = {}): JoinedRecord => ({
    symbol: 'BTC/USDT', timeframe: '1h', ts: 10 * H, candle_simulated: false, candles_since_gap: 500, feature_version: 'ohlcv-v1',
    open_price: 1, high_price: 1, low_price: 1, close_price: 1, volume: 1, rsi: 50,
    sentiment_ts: 10 * H, real_inputs: ['fear_greed', 'social'], simulated_inputs: ['news'],
    fear_greed_index: 40, news_sentiment_score: 0.2, social_sentiment_score: 0.1, weighted_coin_sentiment: 0.3, whale_sentiment_proxy: 0.5,
    l0_value: 'up', l0_confidence: 0.5, l0_realized_return: 0.01, l0_future_ts: 14 * H, l0_simulated: false,
    l1_value: 'bullish', l1_confidence: 0.2, l1_realized_return: 0.02, l1_future_ts: 22 * H, l1_simulated: true,
    ...over,
  });

  it('empty (default): keeps the row, empties what the simulated inputs fed, records which', () => {
    const { row, emptied, labels: kept } = assembleRow(record(), labels, 'empty');
    expect(row).toMatchObject({ fear_greed_index: 40, news_sentiment_score: null, weighted_coin_sentiment: null, social_sentiment_score: 0.1, whale_sentiment_proxy: 0.5, rsi: 50, is_simulated: false });
    expect(row).toMatchObject({ sentiment_real_inputs: 'fear_greed,social', sentiment_simulated_inputs: 'news' });
    const pd = labelColumns(labels[0]);
    const mr = labelColumns(labels[1]);
    expect([row![pd.value], row![pd.knownAt], row![mr.value], row![mr.knownAt]]).toEqual(['up', 15 * H, null, null]);
    expect(emptied).toEqual(['sentiment:news', 'label:market_regime_12h']);
    expect(kept).toEqual(['price_direction_4h']);
    // A row whose every label is simulated has nothing left to learn from; a simulated candle neither.
    expect(assembleRow(record({ l0_simulated: true }), labels, 'empty').excluded).toBe('simulated_label');
    expect(assembleRow(record({ candle_simulated: true }), labels, 'empty').excluded).toBe('simulated_candle');
    expect(assembleRow(record({ l0_value: null, l1_value: null }), labels, 'empty').excluded).toBe('no_label');
  });

  it('drop leaves the row out; include keeps every value and flags it', () => {
    expect(assembleRow(record({ l1_simulated: false }), labels, 'drop').excluded).toBe('simulated_sentiment');
    expect(assembleRow(record(), labels, 'drop').excluded).toBe('simulated_label');
    expect(assembleRow(record({ l1_simulated: false, simulated_inputs: [] }), labels, 'drop').row).not.toBeNull();
    const { row } = assembleRow(record({ candle_simulated: true }), labels, 'include');
    expect(row).toMatchObject({ news_sentiment_score: 0.2, is_simulated: true, label_market_regime_12h: 'bullish', label_market_regime_12h_is_simulated: true });
  });
});

describe('gaps', () => {
  const labels = [{ type: 'price_direction', horizon: '4h', name: 'price_direction_4h', spec: null }] as const;
  const r = (since: number | null, ts = 1000 * H) => ({ symbol: 'BTC/USDT', timeframe: '1h', ts, candles_since_gap: since, candle_simulated: false, feature_version: 'ohlcv-v1', sentiment_ts: null, real_inputs: null, simulated_inputs: null, l0_value: 'up', l0_future_ts: ts + 4 * H, l0_simulated: false });
  const starts = new Map([['BTC/USDT|1h', 0]]);
  it('leaves out rows whose feature windows reach back over a gap, unless asked; warm-up is no gap', () => {
    expect(assembleRow(r(50), labels, { policy: 'empty', seriesStarts: starts }).excluded).toBe('gap');
    expect(assembleRow(r(50), labels, { policy: 'empty', seriesStarts: starts, includeGaps: true }).row!.candles_since_gap).toBe(50);
    expect(assembleRow(r(500), labels, { policy: 'empty', seriesStarts: starts }).row).not.toBeNull();
    // 50 candles since the series began: warm-up.
    expect(assembleRow(r(50, 49 * H), labels, { policy: 'empty', seriesStarts: starts }).row).not.toBeNull();
    expect(assembleRow(r(null), labels, { policy: 'empty', seriesStarts: starts }).row).not.toBeNull();
  });
});

describe('byte ranges', () => {
  it('reads the forms readers send and refuses what the file cannot satisfy', () => {
    expect(byteRange(null, 100)).toBeNull();
    expect(byteRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=-8', 100)).toEqual({ start: 92, end: 99 });
    expect(byteRange('bytes=95-200', 100)).toEqual({ start: 95, end: 99 });
    expect(byteRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(byteRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=9-3', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=0-1,5-9', 100)).toBeNull();
    expect(byteRange('items=0-1', 100)).toBeNull();
  });
});
