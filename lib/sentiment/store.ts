import { epochMs } from '@/lib/db/fragments';
import type { Session } from '@/lib/db/sql';
import type { DocumentKind, ScoredDocument } from './documents';
import { SENTIMENT_FEATURE_COLUMNS, SENTIMENT_FEATURE_VERSION, type FearGreedPoint, type HourlyLevel, type SentimentFeatures, type SentimentSample } from './features';
import type { DominanceMethod } from './sources/dominance';
import type { FearGreedSample } from './sources/fear-greed';

/** Storage of sentiment documents, samples and rows. Every write is idempotent. */

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Inserts documents not stored yet (same kind and normalized title = same document) and returns
 * how many each source added. A document already stored keeps its first source and scores.
 */
export async function storeDocuments(db: Session, docs: readonly ScoredDocument[], fetchedAt: number): Promise<Map<string, number>> {
  const added = new Map<string, number>();
  if (!docs.length) return added;
  const records = docs.map((d) => ({
    kind: d.kind,
    title_hash: d.titleHash,
    title: d.title,
    source: d.source,
    url: d.url,
    published_at: iso(d.publishedAt),
    compound: d.compound,
    positive: d.positive,
    negative: d.negative,
    neutral: d.neutral,
    coins: Object.keys(d.mentions),
    mentions: Object.values(d.mentions),
    model: d.model,
  }));
  const { rows } = await db.query<{ source: string; added: number }>(
    `with added as (
       insert into sentiment_documents (kind, title_hash, title, source, url, published_at, fetched_at, compound, positive, negative, neutral, coins, mentions, model)
       select d.kind, d.title_hash, d.title, d.source, d.url, d.published_at, $2, d.compound, d.positive, d.negative, d.neutral, d.coins, d.mentions, d.model
       from jsonb_to_recordset($1::jsonb) as d(kind text, title_hash text, title text, source text, url text, published_at timestamptz,
         compound float8, positive float8, negative float8, neutral float8, coins text[], mentions integer[], model text)
       on conflict (kind, title_hash) do nothing
       returning source
     )
     select source, count(*)::int as added from added group by source`,
    [JSON.stringify(records), iso(fetchedAt)],
  );
  for (const row of rows) added.set(row.source, row.added);
  return added;
}

interface DocumentRecord {
  kind: DocumentKind;
  ts: number;
  compound: number;
  coins: string[];
  mentions: number[];
}

/** Stored documents published in (from, to], as the features read them. */
export async function readDocuments(db: Session, from: number, to: number): Promise<SentimentSample[]> {
  const { rows } = await db.query<DocumentRecord>(
    `select kind, ${epochMs('published_at')} as ts, compound, coins, mentions from sentiment_documents
     where published_at > $1 and published_at <= $2 order by published_at, title_hash`,
    [iso(from), iso(to)],
  );
  return rows.map((r) => ({
    kind: r.kind,
    publishedAt: r.ts,
    compound: r.compound,
    mentions: Object.fromEntries(r.coins.map((coin, i) => [coin, r.mentions[i] ?? 0])),
  }));
}

/** Stores Fear & Greed values; a value the source later revised replaces the stored one. */
export async function storeFearGreed(db: Session, samples: readonly FearGreedSample[], source: string, fetchedAt: number): Promise<number> {
  if (!samples.length) return 0;
  const { rows: [row] } = await db.query<{ written: number }>(
    `with written as (
       insert into fear_greed_samples as stored (timestamp, value, classification, source, fetched_at)
       select to_timestamp(u.ts / 1000.0), u.value, u.classification, $4, $5
       from unnest($1::float8[], $2::int[], $3::text[]) as u(ts, value, classification)
       on conflict (timestamp) do update set value = excluded.value, classification = excluded.classification,
         source = excluded.source, fetched_at = excluded.fetched_at
       where (stored.value, stored.classification) is distinct from (excluded.value, excluded.classification)
       returning 1
     )
     select count(*)::int as written from written`,
    [samples.map((s) => s.timestamp), samples.map((s) => s.value), samples.map((s) => s.classification), source, iso(fetchedAt)],
  );
  return row!.written;
}

/** Fear & Greed values with timestamps in [from, to]. */
export async function readFearGreed(db: Session, from: number, to: number): Promise<FearGreedPoint[]> {
  const { rows } = await db.query<FearGreedPoint>(
    `select ${epochMs('timestamp')} as timestamp, value::float8 as value from fear_greed_samples
     where timestamp >= $1 and timestamp <= $2 order by timestamp`,
    [iso(from), iso(to)],
  );
  return rows;
}

/** The newest value published before `before`, however old (the base of a simulated value). */
export async function lastFearGreedBefore(db: Session, before: number): Promise<number | null> {
  const { rows: [row] } = await db.query<{ value: number }>('select value::float8 as value from fear_greed_samples where timestamp < $1 order by timestamp desc limit 1', [iso(before)]);
  return row?.value ?? null;
}

export interface DominanceSample {
  hour: number;
  dominancePct: number;
  method: DominanceMethod;
  symbols: readonly string[];
  isSimulated: boolean;
}

/**
 * Stores one hour's BTC dominance. CoinGecko's value is never replaced by a computed one, and a
 * value computed from real candles is never replaced by one computed from simulated candles.
 */
export async function storeDominance(db: Session, sample: DominanceSample, computedAt: number): Promise<number> {
  const { rows } = await db.query(
    `insert into btc_dominance_samples as stored (timestamp, dominance_pct, method, symbols, is_simulated, computed_at)
     values ($1, $2, $3, $4::text[], $5, $6)
     on conflict (timestamp) do update set dominance_pct = excluded.dominance_pct, method = excluded.method,
       symbols = excluded.symbols, is_simulated = excluded.is_simulated, computed_at = excluded.computed_at
     where (stored.method = 'tracked_volume_share' or excluded.method = 'coingecko_market_cap')
       and (stored.is_simulated or not excluded.is_simulated)
       and (stored.dominance_pct, stored.method, stored.symbols, stored.is_simulated)
         is distinct from (excluded.dominance_pct, excluded.method, excluded.symbols, excluded.is_simulated)
     returning 1`,
    [iso(sample.hour), sample.dominancePct, sample.method, [...sample.symbols], sample.isSimulated, iso(computedAt)],
  );
  return rows.length;
}

export interface SentimentRow {
  symbol: string;
  hour: number;
  features: SentimentFeatures;
  /** The hour's own level from its real documents (never a simulated stand-in); none without any. */
  level?: HourlyLevel | null;
  realInputs: readonly string[];
  simulatedInputs: readonly string[];
}

const VALUE_COLUMNS = [...SENTIMENT_FEATURE_COLUMNS, 'sentiment_level', 'sentiment_level_weight', 'real_inputs', 'simulated_inputs', 'is_simulated', 'feature_version'];

const UPDATE_CLAUSE = `on conflict (symbol, timestamp) do update set ${[...VALUE_COLUMNS, 'computed_at'].map((c) => `${c} = excluded.${c}`).join(', ')}
     where cardinality(excluded.simulated_inputs) <= cardinality(stored.simulated_inputs)
       and (${VALUE_COLUMNS.map((c) => `stored.${c}`).join(', ')}) is distinct from (${VALUE_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`;

/**
 * Upserts one (symbol, hour) row (with `onlyIfAbsent`, inserts it only where there is none). A row with more simulated inputs never replaces one with fewer
 * (a later failing run does not degrade an hour collected well), and an unchanged row is left
 * alone, so computed_at means "the values changed". Returns whether the row was written.
 */
export async function upsertSentimentRow(db: Session, row: SentimentRow, { onlyIfAbsent = false } = {}): Promise<boolean> {
  const values = SENTIMENT_FEATURE_COLUMNS.map((c) => {
    const v = row.features[c];
    return v !== null && Number.isFinite(v) ? v : null;
  });
  const real = [...row.realInputs].sort();
  const simulated = [...row.simulatedInputs].sort();
  const n = SENTIMENT_FEATURE_COLUMNS.length;
  const { rows } = await db.query(
    `insert into ml_features_sentiment as stored (timestamp, symbol, ${VALUE_COLUMNS.join(', ')}, computed_at)
     values ($1, $2, ${SENTIMENT_FEATURE_COLUMNS.map((_, i) => `$${i + 3}::float8`).join(', ')}, $${n + 3}::float8, $${n + 4}::float8,
       $${n + 5}::text[], $${n + 6}::text[], $${n + 7}, $${n + 8}, now())
     ${onlyIfAbsent ? 'on conflict (symbol, timestamp) do nothing' : UPDATE_CLAUSE}
     returning 1`,
    [iso(row.hour), row.symbol, ...values, row.level?.level ?? null, row.level?.weight ?? null, real, simulated, simulated.length > 0, SENTIMENT_FEATURE_VERSION],
  );
  return rows.length > 0;
}

/** The hourly levels stored with a symbol's rows of the hours in [from, to]. */
export async function readStoredLevels(db: Session, symbol: string, from: number, to: number): Promise<HourlyLevel[]> {
  const { rows } = await db.query<HourlyLevel>(
    `select ${epochMs('timestamp')} as hour, sentiment_level as level, sentiment_level_weight as weight from ml_features_sentiment
     where symbol = $1 and timestamp >= $2 and timestamp <= $3 and sentiment_level is not null order by timestamp`,
    [symbol, iso(from), iso(to)],
  );
  return rows;
}
