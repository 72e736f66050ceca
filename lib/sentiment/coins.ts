import { COINS, type Coin } from '@/lib/market/coin';

/**
 * Which coins a headline or post talks about. A coin is mentioned by its name (case-insensitive,
 * whole words: "Solana", "solana's") or by its ticker written as tickers are written: upper case
 * ("SOL") or with a cashtag in any case ("$sol"). Lower-case tickers alone are not mentions:
 * "sol", "eth" and "bnb" occur inside ordinary words and other languages far more often than as coins.
 */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Matcher {
  ticker: string;
  patterns: RegExp[];
}

// Letters and digits of any script count as word characters, so "Solanas" and "ÉTH" are not hits.
const BEFORE = '(?<![\\p{L}\\p{N}_$])';
const AFTER = '(?![\\p{L}\\p{N}_])';

function matcherFor(coin: Coin): Matcher {
  const patterns = [
    // "Bitcoin", "bitcoin's", "BITCOIN"; a trailing possessive is not a different word.
    ...coin.names.map((name) => new RegExp(`${BEFORE}${escape(name).replace(/ /g, '\\s+')}${AFTER}`, 'giu')),
    new RegExp(`${BEFORE}${escape(coin.ticker)}${AFTER}`, 'gu'),
    new RegExp(`(?<![\\p{L}\\p{N}_$])\\$${escape(coin.ticker)}${AFTER}`, 'giu'),
  ];
  return { ticker: coin.ticker, patterns };
}

/**
 * Mention counts per ticker in `text`, for the given coins (default: all known). "Bitcoin (BTC)"
 * is two mentions; "$BTC" is one (the plain ticker pattern does not match after a '$').
 */
export function matchCoins(text: string, coins: readonly Coin[] = COINS): Map<string, number> {
  const counts = new Map<string, number>();
  for (const matcher of coins.map(matcherFor)) {
    const starts = new Set<number>();
    for (const pattern of matcher.patterns) for (const match of text.matchAll(pattern)) starts.add(match.index);
    if (starts.size) counts.set(matcher.ticker, starts.size);
  }
  return counts;
}
