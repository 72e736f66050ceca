import ccxt, { type Exchange, type Market } from 'ccxt';
import { DEFAULT_EXCHANGE } from './defaults';
import { SourceError, type CandleSource } from './source';

export interface ExchangeSourceOptions {
  exchangeId?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Replaces the scheme and host of every API URL (a proxy, or the replay server in tests). */
  apiBaseUrl?: string;
  /** Markets to use instead of downloading the exchange's full list (`setMarkets`). */
  markets?: Market[];
  /** ccxt's own request throttle; on by default so backfills respect the exchange's limits. */
  enableRateLimit?: boolean;
}

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

function exchangeClass(id: string): ExchangeClass {
  if (!ccxt.exchanges.includes(id)) throw new Error(`unknown exchange "${id}": ccxt knows ${ccxt.exchanges.length} exchanges, e.g. binance, kraken, okx`);
  return (ccxt as unknown as Record<string, ExchangeClass>)[id]!;
}

/** Points every URL in ccxt's (possibly nested) `urls.api` at another origin, keeping the paths. */
function rebase(api: unknown, origin: string): unknown {
  if (typeof api === 'string') return api.replace(/^[a-z]+:\/\/[^/]+/i, origin);
  if (api !== null && typeof api === 'object') {
    return Object.fromEntries(Object.entries(api).map(([key, value]) => [key, rebase(value, origin)]));
  }
  return api;
}

/** Maps ccxt's error hierarchy onto what the collector needs to decide: fall back, or fail. */
export function classifyExchangeError(error: unknown, exchangeId: string): SourceError {
  if (error instanceof SourceError) return error;
  const message = `${exchangeId}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000);
  const kind =
    error instanceof ccxt.RequestTimeout ? 'timeout'
    : error instanceof ccxt.DDoSProtection ? 'rate_limit'
    : error instanceof ccxt.ExchangeNotAvailable ? 'unavailable'
    : error instanceof ccxt.NetworkError ? 'network'
    : error instanceof ccxt.BadResponse ? 'malformed'
    : error instanceof ccxt.OperationFailed ? 'unavailable'
    : error instanceof ccxt.ExchangeError ? 'rejected'
    // Anything else came out of parsing a payload ccxt did not expect.
    : 'malformed';
  return new SourceError(kind, message, { cause: error });
}

export function createExchangeSource(options: ExchangeSourceOptions = {}): CandleSource {
  const id = options.exchangeId ?? DEFAULT_EXCHANGE;
  const exchange = new (exchangeClass(id))({
    timeout: options.timeoutMs ?? 10_000,
    enableRateLimit: options.enableRateLimit ?? true,
  });
  // Kept so a payload that is not JSON can be told apart from an empty answer (ccxt returns [] for both).
  exchange.enableLastJsonResponse = true;
  exchange.enableLastHttpResponse = true;
  if (options.apiBaseUrl) exchange.urls.api = rebase(exchange.urls.api, new URL(options.apiBaseUrl).origin) as typeof exchange.urls.api;
  if (options.markets) exchange.setMarkets(options.markets);

  // One request at a time per exchange instance: the last-response fields above are per instance.
  let queue: Promise<unknown> = Promise.resolve();

  async function fetchOnce(symbol: string, timeframe: string, since: number, limit: number): Promise<unknown[]> {
    exchange.last_http_response = undefined;
    exchange.last_json_response = undefined;
    let rows: unknown[];
    try {
      rows = await exchange.fetchOHLCV(symbol, timeframe, since, limit);
    } catch (error) {
      throw classifyExchangeError(error, id);
    }
    // Read back through a cast: TypeScript narrowed the field to undefined at the reset above.
    const body = (exchange.last_http_response as string | undefined)?.trim();
    if (body && exchange.last_json_response === undefined) {
      throw new SourceError('malformed', `${id}: the response is not valid JSON (${body.length} bytes starting ${JSON.stringify(body.slice(0, 40))})`);
    }
    if (!Array.isArray(rows)) throw new SourceError('malformed', `${id}: fetchOHLCV returned ${typeof rows}, not a list`);
    return rows;
  }

  return {
    id,
    fetchCandles(symbol, timeframe, since, limit) {
      const result = queue.then(() => fetchOnce(symbol, timeframe, since, limit));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
