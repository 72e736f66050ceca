import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/env';
import { zodMessage } from '../../lib/http/handler';
import { runRequestsFor, triggerSchema } from '../../lib/jobs/trigger';

const cfg = parseConfig({ TRACKED_SYMBOLS: 'BTC/USDT,ETH/USDT', TRACKED_TIMEFRAMES: '1h,4h' });
const now = Date.parse('2024-06-01T00:00:00Z');
const parse = (input: unknown) => triggerSchema(cfg, now).parse(input);
const problem = (input: unknown) => {
  const result = triggerSchema(cfg, now).safeParse(input);
  if (result.success) throw new Error('expected a validation error');
  return zodMessage(result.error);
};

describe('admin trigger input', () => {
  it('expands candle work into one run per series', () => {
    const trigger = parse({ kind: 'candles', symbols: ['BTC/USDT', 'ETH/USDT'], timeframes: ['1h', '4h'] });
    expect(runRequestsFor(trigger).map((r) => `${r.symbol} ${r.timeframe}`)).toEqual(['BTC/USDT 1h', 'BTC/USDT 4h', 'ETH/USDT 1h', 'ETH/USDT 4h']);
  });

  it('turns a backfill range into since/until in milliseconds', () => {
    const [run] = runRequestsFor(parse({ kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: '2024-01-01', to: '2024-02-01T00:00:00Z' }));
    expect(run).toEqual({ kind: 'backfill', symbol: 'BTC/USDT', timeframe: '1h', since: Date.parse('2024-01-01T00:00:00Z'), until: Date.parse('2024-02-01T00:00:00Z') });
  });

  it('makes sentiment and labels one run over the chosen symbols', () => {
    expect(runRequestsFor(parse({ kind: 'labels', symbols: ['ETH/USDT'] }))).toEqual([{ kind: 'labels', symbols: ['ETH/USDT'], timeframe: '1h', since: undefined, until: undefined }]);
    // The admin's range is honoured, per chosen timeframe.
    expect(runRequestsFor(parse({ kind: 'labels', symbols: ['ETH/USDT'], timeframes: ['1h', '4h'], from: '2024-01-01', to: '2024-02-01' }))).toEqual([
      { kind: 'labels', symbols: ['ETH/USDT'], timeframe: '1h', since: Date.UTC(2024, 0, 1), until: Date.UTC(2024, 1, 1) },
      { kind: 'labels', symbols: ['ETH/USDT'], timeframe: '4h', since: Date.UTC(2024, 0, 1), until: Date.UTC(2024, 1, 1) },
    ]);
  });

  it.each([
    [{ kind: 'candles', symbols: ['DOGE/USDT'], timeframes: ['1h'] }, /^symbols.0: unknown symbol "DOGE\/USDT": tracked symbols are BTC\/USDT, ETH\/USDT/],
    [{ kind: 'candles', symbols: ['BTC/USDT'], timeframes: ['7m'] }, /^timeframes.0: unknown timeframe "7m"/],
    [{ kind: 'candles', symbols: ['BTC/USDT'] }, /^timeframes: choose at least one timeframe/],
    [{ kind: 'candles', symbols: [], timeframes: ['1h'] }, /^symbols: choose at least one symbol/],
    [{ kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'] }, /^from: a backfill needs a start date/],
    [{ kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: '2024-03-01', to: '2024-02-01' }, /^to: must be after from \(the dates are reversed\)/],
    [{ kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: '2030-01-01' }, /^from: is in the future/],
    [{ kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: 'yesterday' }, /^from: /],
    [{ kind: 'delete-everything', symbols: ['BTC/USDT'] }, /^kind: /],
    [{ kind: 'labels', symbols: ['BTC/USDT'], extra: 1 }, /^input: .*extra/],
  ])('refuses %o with a message naming the problem', (input, message) => {
    expect(problem(input)).toMatch(message);
  });
});
