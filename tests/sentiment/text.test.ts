import { describe, expect, it } from 'vitest';
import { coinOf } from '@/lib/market/coin';
import { matchCoins } from '@/lib/sentiment/coins';
import { dedupeDocuments, normalizeTitle, plainTitle, scoreDocument, titleHash } from '@/lib/sentiment/documents';
import { polarityOf, prepareForVader, scoreText } from '@/lib/sentiment/score';

describe('coin matching', () => {
  const mentions = (text: string) => Object.fromEntries(matchCoins(text));

  it('finds coins by name and by ticker, counting every mention', () => {
    expect(mentions('Bitcoin (BTC) hits $70k while $eth lags')).toEqual({ BTC: 2, ETH: 1 });
    expect(mentions("Solana's SOL rallies")).toEqual({ SOL: 2 });
    expect(mentions('Price analysis 6/10: BTC, ETH, SOL, BNB, XRP')).toEqual({ BTC: 1, ETH: 1, SOL: 1, BNB: 1, XRP: 1 });
  });

  it('does not see coins inside other words, lower-case tickers or related names', () => {
    expect(mentions('A solution for solar: sol y luna, consolidation')).toEqual({});
    expect(mentions('WBTC, BTCUSDT and ethereal art')).toEqual({});
    expect(mentions('Binance lists a new token; Ripple the company wins in court')).toEqual({});
    expect(mentions('eth gas fees, bnb burn')).toEqual({});
  });

  it('reads the coin of a market symbol', () => {
    expect(['BTC/USDT', 'ETH-USD', 'SOLUSDT', 'bnb/usdt'].map(coinOf)).toEqual(['BTC', 'ETH', 'SOL', 'BNB']);
  });
});

describe('VADER scoring', () => {
  it('is VADER: negation flips, emphasis strengthens, neutral text is 0', () => {
    expect(scoreText('Bitcoin is great').compound).toBeGreaterThan(0.5);
    expect(scoreText('Bitcoin is not great').compound).toBeLessThan(0);
    expect(scoreText('Bitcoin is GREAT news!!!').compound).toBeGreaterThan(scoreText('Bitcoin is great news').compound);
    expect(scoreText('Markets wrap: the week ahead')).toEqual({ compound: 0, positive: 0, negative: 0, neutral: 1 });
  });

  it('understands market words and emoji the general lexicon misses, keeping negation and emphasis', () => {
    expect(scoreText('Bitcoin surges past $70K').compound).toBeGreaterThan(0.05);
    expect(scoreText('Bitcoin plunges below $66K').compound).toBeLessThan(-0.05);
    expect(scoreText('Analysts turn bearish on BNB').compound).toBeLessThan(-0.05);
    expect(scoreText('Ether is not bullish yet').compound).toBeLessThan(-0.05);
    expect(scoreText('ETH to the moon 🚀').compound).toBeGreaterThan(0.05);
    expect(scoreText('Lost it all 😭').compound).toBeLessThan(-0.05);
    expect(prepareForVader('Very BULLISH 🚀')).toBe('Very OPTIMISTIC optimistic');
  });

  it('classifies with VADER’s ±0.05 thresholds', () => {
    expect([0.05, 0.049, -0.049, -0.05].map(polarityOf)).toEqual(['bullish', 'neutral', 'neutral', 'bearish']);
  });
});

describe('documents', () => {
  it('the same headline from two feeds has one hash; different headlines do not', () => {
    expect(titleHash('Bitcoin Surges Past $70K as ETF Inflows Return')).toBe(titleHash('bitcoin surges past $70k as ETF inflows return!'));
    expect(titleHash('Bitcoin Surges Past $70K')).not.toBe(titleHash('Bitcoin Surges Past $60K'));
    expect(normalizeTitle('  “Bitcoin”  —  up 5%  ')).toBe('bitcoin up 5%');
  });

  it('strips markup and entities from titles before scoring and matching', () => {
    expect(plainTitle('XRP <span class="color-green">up 5%</span> after court ruling &amp; new partnerships')).toBe('XRP up 5% after court ruling & new partnerships');
    const doc = scoreDocument({ kind: 'news', source: 'cryptopanic', title: 'XRP <b>soars</b> &amp; BTC follows', url: null, publishedAt: 0 });
    expect(doc.title).toBe('XRP soars & BTC follows');
    expect(doc.mentions).toEqual({ XRP: 1, BTC: 1 });
    expect(doc.compound).toBeGreaterThan(0);
  });

  it('keeps the earliest copy of a duplicated headline, per kind', () => {
    const make = (kind: 'news' | 'social', source: string, title: string, publishedAt: number) => scoreDocument({ kind, source, title, url: null, publishedAt });
    const kept = dedupeDocuments([
      make('news', 'rss:cointelegraph', 'Bitcoin surges past $70K!', 200),
      make('news', 'rss:coindesk', 'Bitcoin Surges Past $70K', 100),
      make('social', 'reddit:r/Bitcoin', 'Bitcoin surges past $70K', 300),
      make('news', 'rss:coindesk', '!!!', 50),
    ]);
    expect(kept.map((d) => [d.kind, d.source])).toEqual([
      ['news', 'rss:coindesk'],
      ['social', 'reddit:r/Bitcoin'],
    ]);
  });
});
