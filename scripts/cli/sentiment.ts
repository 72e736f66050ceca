import { flag, NothingToDoError, parse, parseDate, text, texts, UsageError } from './args';
import { withDatabase } from './database';

export const SENTIMENT_USAGE = `  sentiment --fear-greed-history [--days N]
            Load the Fear & Greed index's daily history (all of it, since 2018, unless --days).
  sentiment --symbol S [--symbol S ...] --from D [--to D]
            Compute the sentiment rows of past hours that have none yet, from the stored Fear &
            Greed values, documents and 1h candles (never simulated; a row the hourly collection
            wrote is kept). Exits 1 when nothing could be written.`;

export async function sentiment(args: string[]): Promise<void> {
  const values = parse(args, { 'fear-greed-history': flag, days: text, symbol: texts, from: text, to: text }, []);
  const history = values['fear-greed-history'] === true;
  if (history === Boolean(values.symbol?.length)) throw new UsageError('give either --fear-greed-history or --symbol with --from');
  const { parseSentimentConfig, backfillFearGreed, backfillSentimentRows } = await import('@/lib/sentiment');
  const { poolSessions } = await import('@/lib/db/sql');
  const config = parseSentimentConfig();
  if (history) {
    const days = values.days === undefined ? 0 : Number(values.days);
    if (!Number.isInteger(days) || days < 0) throw new UsageError(`--days ${JSON.stringify(values.days)} must be a whole number of days`);
    const result = await withDatabase((pool) => backfillFearGreed({ sessions: poolSessions(pool), config }, { days }));
    if (result.error) throw new Error(`Fear & Greed history: ${result.error}`);
    console.log(`Fear & Greed history: ${result.fetched} daily values fetched, ${result.written} stored.`);
    return;
  }
  if (!values.from) throw new UsageError('missing --from');
  const from = parseDate(values.from, '--from');
  const to = values.to === undefined ? Date.now() : parseDate(values.to, '--to');
  const result = await withDatabase((pool) => backfillSentimentRows({ sessions: poolSessions(pool) }, { symbols: values.symbol!, from, to }));
  console.log(`Sentiment rows for ${values.symbol!.join(', ')}: ${result.written} written.`);
  if (!result.written) throw new NothingToDoError('no sentiment row could be written: every hour already has one, or nothing is stored for those hours');
}
