/** What the collector fetches unless configured otherwise; the worker reads overrides from the environment. */
export const DEFAULT_EXCHANGE = 'binance';

/**
 * A close more than 50% away from the previous close is treated as a bad print, not a market move:
 * the largest hourly step in two years of Binance BTC/ETH/BNB/ADA candles is 22%.
 */
export const DEFAULT_MAX_JUMP = 0.5;

/** Candles per request: Binance's spot maximum, and what most ccxt exchanges accept. */
export const DEFAULT_PAGE_SIZE = 1000;
