import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared folder beside the checkout holds third-party data we may read but never copy
 * (`data/binance-1h/`). CI has it; a user's clone usually does not. One place finds it:
 * FF_SHARED_DIR, or ../shared relative to the repository.
 */
export const sharedDir = path.resolve(process.env.FF_SHARED_DIR ?? path.join(process.cwd(), '..', 'shared'));

export const binanceDir = path.join(sharedDir, 'data', 'binance-1h');

export const BINANCE_FILES = ['BTCUSDT_1h.csv', 'ETHUSDT_1h.csv', 'BNBUSDT_1h.csv', 'ADAUSDT_1h.csv'] as const;

/** True when the real Binance candles are present; otherwise prints why the dependent tests do not run. */
export function hasBinanceData(suite: string): boolean {
  const present = BINANCE_FILES.every((f) => existsSync(path.join(binanceDir, f)));
  if (!present) {
    console.warn(
      `[${suite}] NOT RUN: real Binance candles not found in ${binanceDir}. ` +
        'Set FF_SHARED_DIR to the folder that holds data/binance-1h/ to run these tests.',
    );
  }
  return present;
}
