import vader from 'vader-sentiment';

/**
 * Sentiment of one headline or post title, with VADER (Hutto & Gilbert 2014; npm vader-sentiment
 * 1.1.3, the maintained JavaScript port). VADER is a lexicon-and-rules model made for short social
 * text and headlines: it weighs capitalised emphasis ("GREAT"), exclamation marks, degree words
 * ("very"), negation ("not good") and contrast ("but"), needs no training and is deterministic,
 * so a stored score can be recomputed exactly. It is what the features average.
 *
 * Two gaps of the JavaScript port are closed here, before scoring, by rewriting the text rather
 * than the model (the port exposes no way to extend its lexicon):
 * - Emoji: the Python original translates emoji into words; this port ignores them. The emoji in
 *   EMOJI_WORDS are replaced by a word of the lexicon with the sentiment they usually carry in
 *   crypto posts.
 * - Market vocabulary: the general-purpose lexicon gives "surges", "plunges", "bullish" or
 *   "bearish" no sentiment at all. The words in MARKET_WORDS are replaced by a lexicon word of
 *   similar strength, keeping their capitalisation, so VADER's negation and emphasis rules still
 *   apply ("not bullish" is negative, "BULLISH!!!" is stronger than "bullish").
 */
export interface TextSentiment {
  /** Normalised sum of valences, in [-1, 1]; the number the features use. */
  compound: number;
  positive: number;
  negative: number;
  neutral: number;
}

/** Recorded with every stored document: a score is only comparable with scores of the same model. */
export const SENTIMENT_MODEL = 'vader-sentiment-1.1.3+market-v1';

/** VADER's own convention (its README): compound ≥ 0.05 is positive, ≤ −0.05 negative. */
export const POSITIVE_THRESHOLD = 0.05;
export const NEGATIVE_THRESHOLD = -0.05;

// Each market word maps to a lexicon word of moderate strength (compound of the word alone, as
// scored by this VADER: gains 0.34, optimistic 0.32, win 0.59, losses −0.40, pessimistic −0.36,
// crash −0.40, hacked −0.40, scam −0.57), so one market word moves a headline about as much as
// one ordinary sentiment word does.
const MARKET_WORDS: Record<string, string> = {
  bullish: 'optimistic',
  bearish: 'pessimistic',
  surge: 'gains',
  surges: 'gains',
  surged: 'gains',
  surging: 'gains',
  soar: 'gains',
  soars: 'gains',
  soared: 'gains',
  soaring: 'gains',
  rally: 'gains',
  rallies: 'gains',
  rallied: 'gains',
  rallying: 'gains',
  rebound: 'gains',
  rebounds: 'gains',
  rebounded: 'gains',
  climbs: 'gains',
  jumps: 'gains',
  breakout: 'gains',
  uptrend: 'optimistic',
  ath: 'win',
  moon: 'optimistic',
  mooning: 'optimistic',
  pump: 'gains',
  pumping: 'gains',
  plunge: 'losses',
  plunges: 'losses',
  plunged: 'losses',
  plunging: 'losses',
  tumble: 'losses',
  tumbles: 'losses',
  tumbled: 'losses',
  slump: 'losses',
  slumps: 'losses',
  slumped: 'losses',
  sinks: 'losses',
  sank: 'losses',
  slides: 'losses',
  crashes: 'crash',
  crashed: 'crash',
  selloff: 'losses',
  'sell-off': 'losses',
  dumping: 'losses',
  downtrend: 'pessimistic',
  liquidated: 'losses',
  liquidations: 'losses',
  hacked: 'hacked',
  exploit: 'hacked',
  exploited: 'hacked',
  rugpull: 'scam',
  rug: 'scam',
  outflows: 'losses',
  inflows: 'gains',
};

const EMOJI_WORDS: Record<string, string> = {
  '🚀': 'optimistic',
  '📈': 'gains',
  '📉': 'losses',
  '🔥': 'excited',
  '💎': 'optimistic',
  '🐂': 'optimistic',
  '🐻': 'pessimistic',
  '😀': 'happy',
  '😃': 'happy',
  '😄': 'happy',
  '😁': 'happy',
  '😂': 'funny',
  '🤣': 'funny',
  '😍': 'love',
  '🥳': 'celebrate',
  '👍': 'good',
  '👎': 'bad',
  '😢': 'sad',
  '😭': 'sad',
  '😱': 'scared',
  '😡': 'angry',
  '🤡': 'stupid',
  '💀': 'dead',
  '💩': 'bad',
  '⚠️': 'warning',
  '⚠': 'warning',
};

const WORD = /[\p{L}][\p{L}\p{N}'-]*/gu;
const EMOJI = new RegExp(Object.keys(EMOJI_WORDS).map((e) => e.replace(/[\uFE0F]/g, '\\uFE0F?')).join('|'), 'gu');

function keepCase(original: string, replacement: string): string {
  return original.length > 1 && original === original.toUpperCase() ? replacement.toUpperCase() : replacement;
}

/** The text VADER actually scores: emoji and market words replaced as described above. */
export function prepareForVader(text: string): string {
  return text
    .replace(EMOJI, (emoji) => ` ${EMOJI_WORDS[emoji] ?? EMOJI_WORDS[emoji.replace(/\uFE0F/g, '')] ?? ''} `)
    .replace(WORD, (word) => {
      const replacement = MARKET_WORDS[word.toLowerCase()];
      return replacement ? keepCase(word, replacement) : word;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** VADER scores of a short text (a headline or a post title). Pure and deterministic. */
export function scoreText(text: string): TextSentiment {
  const scores = vader.SentimentIntensityAnalyzer.polarity_scores(prepareForVader(text));
  return { compound: scores.compound, positive: scores.pos, negative: scores.neg, neutral: scores.neu };
}

export type Polarity = 'bullish' | 'bearish' | 'neutral';

export function polarityOf(compound: number): Polarity {
  if (compound >= POSITIVE_THRESHOLD) return 'bullish';
  if (compound <= NEGATIVE_THRESHOLD) return 'bearish';
  return 'neutral';
}
