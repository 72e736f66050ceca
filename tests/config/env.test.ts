import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config/env';

describe('configuration is validated at start, naming the bad variable', () => {
  it('defaults to the embedded database on port 3000', () => {
    const cfg = parseConfig({});
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(cfg).toMatchObject({ DATABASE_MODE: 'auto', PORT: 3000, DATABASE_EMBEDDED: false });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_MODE: 'timescaledb' }, 'DATABASE_MODE'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EMBEDDED_PG_PORT: 'abc' }, 'EMBEDDED_PG_PORT'],
    [{ DATABASE_EMBEDDED: 'yes' }, 'DATABASE_EMBEDDED'],
    [{ TRACKED_SYMBOLS: 'BTC/USDT,btcusdt' }, 'TRACKED_SYMBOLS'],
    [{ TRACKED_TIMEFRAMES: '1h,7m' }, 'TRACKED_TIMEFRAMES'],
    [{ TRACKED_TIMEFRAMES: ' , ' }, 'TRACKED_TIMEFRAMES'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ ADMIN_USERNAME: 'quant' }, 'ADMIN_PASSWORD'],
    [{ EXCHANGE_API_URL: 'not-a-url' }, 'EXCHANGE_API_URL'],
  ])('rejects %o naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`^Invalid configuration[\\s\\S]*\\b${variable}( \\(item \\d+\\))?:`));
  });

  it('parses the tracked symbols and timeframes as lists', () => {
    const cfg = parseConfig({ TRACKED_SYMBOLS: 'BTC/USDT, ETH/USDT', TRACKED_TIMEFRAMES: '1h,4h' });
    expect(cfg.TRACKED_SYMBOLS).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(cfg.TRACKED_TIMEFRAMES).toEqual(['1h', '4h']);
  });

  it('treats empty values as unset', () => {
    const cfg = parseConfig({ DATABASE_URL: '', PORT: '' });
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(cfg.PORT).toBe(3000);
  });
});
