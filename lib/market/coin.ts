/** The coins the product knows by name: the base currencies of the tracked symbols and their neighbours. */
export interface Coin {
  ticker: string;
  names: readonly string[];
}

/**
 * Names deliberately left out: "Binance" (the exchange, not BNB), "Ripple" (the company), and
 * short words that are mostly something else.
 */
export const COINS: readonly Coin[] = [
  { ticker: 'BTC', names: ['bitcoin', 'bitcoins'] },
  { ticker: 'ETH', names: ['ethereum', 'ether'] },
  { ticker: 'SOL', names: ['solana'] },
  { ticker: 'BNB', names: ['binance coin', 'bnb chain'] },
  { ticker: 'XRP', names: [] },
  { ticker: 'ADA', names: ['cardano'] },
  { ticker: 'DOGE', names: ['dogecoin'] },
  { ticker: 'AVAX', names: ['avalanche'] },
  { ticker: 'DOT', names: ['polkadot'] },
  { ticker: 'LINK', names: ['chainlink'] },
  { ticker: 'LTC', names: ['litecoin'] },
  { ticker: 'TRX', names: ['tron'] },
];

/** The coin of a market symbol: 'BTC/USDT' → 'BTC', 'ETH-USD' → 'ETH', 'SOLUSDT' → 'SOL' when known. */
export function coinOf(symbol: string): string {
  const base = symbol.split(/[/:-]/)[0]!.toUpperCase();
  if (base !== symbol.toUpperCase()) return base;
  const known = COINS.find((coin) => base.startsWith(coin.ticker) && /^(USDT|USDC|USD|BUSD|EUR|BTC|ETH)$/.test(base.slice(coin.ticker.length)));
  return known?.ticker ?? base;
}
