/**
 * Market symbols as ccxt spells them: BASE/QUOTE in upper case ('BTC/USDT'). The coin is the base.
 */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,15}\/[A-Z0-9]{2,15}$/;

/** What the worker collects unless TRACKED_SYMBOLS says otherwise. */
export const DEFAULT_TRACKED_SYMBOLS: readonly string[] = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT'];
