/**
 * Training labels from what actually happened, defined in one place. A label belongs to a symbol,
 * a candle series (timeframe T, 1h by default) and a candle open time t, like the feature row it is
 * the target for. It compares the close of candle t (the last price the features at t know) with
 * closes after it, so it uses only:
 * - the closes of the candles opening in (t, t + horizon], the outcome, and
 * - the volatility known at t: the last 24 one-candle log returns up to the close of candle t
 *   (candles t − 24·T … t),
 * and it exists only once candle t + horizon has closed. `future_timestamp` is t + horizon (the
 * open time of the last candle of the outcome); `source` is 'ohlcv:<T>'. A label is simulated when
 * any candle it used was simulated. All three types need every one of those candles: a label over
 * a gap is not produced.
 *
 * Notation: c_k is the close of the candle k candles after t (c_0 = close of candle t), n the
 * horizon in candles, σ the population standard deviation of the 24 log returns ln(c_j / c_{j−1})
 * for j = −23 … 0, θ a threshold in log-return units, floored at MIN_THRESHOLD so that a perfectly
 * flat history does not make every tick "a move".
 *
 * price_direction (default horizon 4 candles, 4h on 1h candles): x = ln(c_n / c_0),
 *   θ = 0.5·σ·√n. up if x > θ, down if x < −θ, flat otherwise. realized_return = c_n / c_0 − 1.
 * market_regime (12 hours): x = ln(c_n / c_0), θ = 1.0·σ·√n (a one-standard-deviation move).
 *   bullish if x > θ, bearish if x < −θ, sideways otherwise. realized_return = c_n / c_0 − 1.
 * Confidence of both: the margin beyond the threshold in units of θ, clipped to [0, 1]:
 *   for up/down (bullish/bearish) min(1, (|x| − θ)/θ), 1 once the move is twice the threshold;
 *   for flat (sideways) (θ − |x|)/θ, 1 for no move at all, 0 at the threshold.
 * sector_rotation (6 hours), over the tracked symbols: BTC and an equal-weighted basket of all the
 *   others (altcoins; every one needs its candles). D = (c_n/c_0 − 1) of BTC − mean over altcoins
 *   of (c_n/c_0 − 1). btc_dominance if D ≥ 0, altcoin_rotation otherwise. The scale is the
 *   volatility of the one-candle spread s_j = r_BTC,j − mean r_alt,j (simple returns, j = −23 … 0):
 *   θ = σ_s·√n; confidence = min(1, |D| / θ), so a spread within the usual noise is a weak label.
 *   realized_return = D. The same label is stored for every symbol of the basket.
 */
export const LABEL_VERSION = 'labels-v1';

export const LABEL_TYPES = ['price_direction', 'market_regime', 'sector_rotation'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

export const LABEL_VALUES: Record<LabelType, readonly string[]> = {
  price_direction: ['up', 'down', 'flat'],
  market_regime: ['bullish', 'bearish', 'sideways'],
  sector_rotation: ['btc_dominance', 'altcoin_rotation'],
};

/** Candles of history behind the volatility known at t. */
export const VOLATILITY_WINDOW = 24;
/** Smallest threshold, in log-return units (1 basis point). */
export const MIN_THRESHOLD = 1e-4;

export interface LabelSpec {
  /** How configuration, stored labels (ml_labels.spec_name) and exports name it. */
  name: string;
  type: LabelType;
  /** Duration as stored in ml_labels.horizon, e.g. '4h'; a whole number of candles. */
  horizon: string;
  /** Threshold in standard deviations of the horizon's return (the scale for sector_rotation). */
  thresholdK: number;
}

export const DEFAULT_LABEL_SPECS: Record<LabelType, LabelSpec> = {
  price_direction: { name: 'price_direction', type: 'price_direction', horizon: '4h', thresholdK: 0.5 },
  market_regime: { name: 'market_regime', type: 'market_regime', horizon: '12h', thresholdK: 1.0 },
  sector_rotation: { name: 'sector_rotation', type: 'sector_rotation', horizon: '6h', thresholdK: 1.0 },
};

export const labelSource = (timeframe: string) => `ohlcv:${timeframe}`;

/** One paragraph per type, for export metadata and the dashboard. */
export function describeLabel(spec: LabelSpec, timeframe: string): string {
  const base = `From ${timeframe} candles; label at t compares the close of candle t with the close of the candle opening at t + ${spec.horizon}; volatility σ = population std of the ${VOLATILITY_WINDOW} one-candle log returns up to candle t; produced only after candle t + ${spec.horizon} closed; simulated if any candle used was simulated.`;
  switch (spec.type) {
    case 'price_direction':
      return `price_direction (${LABEL_VALUES.price_direction.join('/')}): x = ln(c_n/c_0), θ = max(${spec.thresholdK}·σ·√n, ${MIN_THRESHOLD}); up if x > θ, down if x < −θ, else flat. confidence = margin beyond θ in units of θ, clipped to [0,1]. realized_return = c_n/c_0 − 1. ${base}`;
    case 'market_regime':
      return `market_regime (${LABEL_VALUES.market_regime.join('/')}): x = ln(c_n/c_0), θ = max(${spec.thresholdK}·σ·√n, ${MIN_THRESHOLD}); bullish if x > θ, bearish if x < −θ, else sideways. confidence = margin beyond θ in units of θ, clipped to [0,1]. realized_return = c_n/c_0 − 1. ${base}`;
    case 'sector_rotation':
      return `sector_rotation (${LABEL_VALUES.sector_rotation.join('/')}): D = BTC return − equal-weighted mean return of the tracked altcoins over the horizon; btc_dominance if D ≥ 0 else altcoin_rotation; confidence = min(1, |D| / max(${spec.thresholdK}·σ_s·√n, ${MIN_THRESHOLD})), σ_s = std of the one-candle BTC-minus-basket return spread over the last ${VOLATILITY_WINDOW} candles. realized_return = D. ${base}`;
  }
}
