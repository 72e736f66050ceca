-- Sentiment collection, identical in every database mode: the scored headlines and posts behind the
-- sentiment features (each kept once), and the Fear & Greed and BTC dominance samples.

-- One row per distinct headline (news) or post title (social). The key is a hash of the normalized
-- title, so the same headline delivered by two feeds (or by a feed and CryptoPanic) is one document,
-- credited to the source that delivered it first.
create table sentiment_documents (
  kind text not null,
  title_hash text not null,
  title text not null,
  source text not null,
  url text,
  published_at timestamptz not null,
  fetched_at timestamptz not null,
  -- VADER scores of the title: compound in [-1, 1], the three proportions in [0, 1].
  compound double precision not null,
  positive double precision not null,
  negative double precision not null,
  neutral double precision not null,
  -- Coins the title mentions (tickers such as BTC) and how often, aligned by position.
  coins text[] not null default '{}',
  mentions integer[] not null default '{}',
  model text not null,
  primary key (kind, title_hash),
  constraint sentiment_documents_kind_check check (kind in ('news', 'social')),
  constraint sentiment_documents_compound_check check (compound between -1 and 1),
  constraint sentiment_documents_mentions_check check (cardinality(coins) = cardinality(mentions))
);
create index sentiment_documents_published_idx on sentiment_documents (published_at);

-- The daily Crypto Fear & Greed Index as alternative.me published it (only real values: simulated
-- stand-ins live in the sentiment rows that used them, flagged there).
create table fear_greed_samples (
  timestamp timestamptz primary key,
  value smallint not null,
  classification text not null,
  source text not null,
  fetched_at timestamptz not null,
  constraint fear_greed_samples_value_check check (value between 0 and 100)
);

-- BTC dominance per hour, in percent. `coingecko_market_cap`: CoinGecko's share of total market
-- capitalisation. `tracked_volume_share`: computed when CoinGecko is unavailable, BTC's share of
-- the quote volume of the tracked symbols over the previous 24 hours: a different, narrower
-- quantity, which is why the method is stored with every value.
create table btc_dominance_samples (
  timestamp timestamptz primary key,
  dominance_pct double precision not null,
  method text not null,
  symbols text[] not null default '{}',
  is_simulated boolean not null default false,
  computed_at timestamptz not null,
  constraint btc_dominance_samples_pct_check check (dominance_pct >= 0 and dominance_pct <= 100),
  constraint btc_dominance_samples_method_check check (method in ('coingecko_market_cap', 'tracked_volume_share')),
  -- Only a value computed from candles can rest on simulated candles.
  constraint btc_dominance_samples_provenance_check check (not is_simulated or method = 'tracked_volume_share')
);
