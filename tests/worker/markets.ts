import type { Market } from 'ccxt';
import { createExchangeSource } from '@/lib/market/exchange';
import { MARKETS, type BinanceReplay } from '../market/binance-replay';

/**
 * Many spot markets for scale tests: copies of the recorded BTC/USDT market under other base
 * assets (S0001/USDT, …), so a ccxt binance with these markets set asks the replay server for
 * klines of S0001USDT exactly as it would for BTCUSDT.
 */
export function scaleSymbols(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `S${String(i + 1).padStart(4, '0')}/USDT`);
}

export function scaleMarkets(symbols: readonly string[]): Market[] {
  const template = MARKETS.find((m) => m?.symbol === 'BTC/USDT')!;
  return symbols.map((symbol) => {
    const base = symbol.split('/')[0]!;
    return { ...template, id: `${base}USDT`, symbol, base, baseId: base, info: { ...(template.info as object), symbol: `${base}USDT`, baseAsset: base } };
  });
}

/** A ccxt binance source for these symbols against the replay server. */
export function scaleSource(replay: BinanceReplay, symbols: readonly string[], timeoutMs = 5000) {
  return createExchangeSource({ exchangeId: 'binance', apiBaseUrl: replay.url, markets: [...MARKETS, ...scaleMarkets(symbols)], timeoutMs, enableRateLimit: false });
}
