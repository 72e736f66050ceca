import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/env';
import { JOB_KINDS, JOB_QUEUES, triggerableKinds } from '../../lib/jobs/kinds';

const cfg = parseConfig({ TRACKED_SYMBOLS: 'BTC/USDT,ETH/USDT', TRACKED_TIMEFRAMES: '1h,4h' });

describe('the job kinds registry', () => {
  it('names each kind once and creates each queue once', () => {
    const ids = JOB_KINDS.map((kind) => kind.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['candles', 'backfill', 'sentiment', 'labels', 'retention']));
    expect([...JOB_QUEUES].sort()).toEqual([...new Set(JOB_KINDS.map((kind) => kind.queue))].sort());
    // A collection and a backfill of a series never run at once: they share the candle queue.
    expect(JOB_KINDS.find((k) => k.id === 'backfill')!.queue).toBe(JOB_KINDS.find((k) => k.id === 'candles')!.queue);
  });

  it('offers the admin form every kind with a trigger, with the fields each asks for', () => {
    expect(triggerableKinds().map((k) => k.id)).toEqual(JOB_KINDS.filter((k) => k.trigger).map((k) => k.id));
    expect(triggerableKinds()).toEqual(expect.arrayContaining([
      { id: 'candles', label: 'Candles (what is missing)', asks: { timeframes: true, from: 'no' } },
      { id: 'backfill', label: 'Backfill a date range', asks: { timeframes: true, from: 'required' } },
      { id: 'sentiment', label: 'Sentiment', asks: { timeframes: false, from: 'no' } },
      { id: 'sentiment-history', label: 'Sentiment history (Fear & Greed and past rows)', asks: { timeframes: false, from: 'optional' } },
      // A labels run honours a date range (without one: everything behind the watermarks).
      { id: 'labels', label: 'Labels', asks: { timeframes: false, from: 'optional' } },
    ]));
    expect(triggerableKinds().map((k) => k.id)).not.toContain('retention');
  });

  it("builds only payloads its own schema accepts, from the admin form and from the schedule", () => {
    const input = { symbols: ['BTC/USDT', 'ETH/USDT'], timeframes: ['1h', '4h'], from: Date.UTC(2024, 0, 1) };
    for (const kind of JOB_KINDS) {
      const payloads = [...(kind.trigger?.payloads(input) ?? []), ...(kind.schedule?.(cfg).flatMap((entry) => entry.payloads) ?? [])];
      expect(payloads.length, kind.id).toBeGreaterThan(0);
      for (const payload of payloads) expect(kind.payload.safeParse(payload).success, `${kind.id} ${JSON.stringify(payload)}`).toBe(true);
    }
  });

  it('schedules candles after each tracked timeframe closes, and the rest hourly or daily', () => {
    const schedules = Object.fromEntries(JOB_KINDS.map((kind) => [kind.id, kind.schedule?.(cfg).map(({ key, cron, payloads }) => ({ key, cron, runs: payloads.length }))]));
    const keys = Object.values(schedules).flatMap((entries) => entries?.map((e) => e.key) ?? []);
    expect(new Set(keys).size, 'schedule keys are unique').toBe(keys.length);
    expect(schedules).toMatchObject({
      candles: [{ key: 'candles-1h', cron: '0 * * * *', runs: 2 }, { key: 'candles-4h', cron: '0 */4 * * *', runs: 2 }],
      backfill: undefined,
      sentiment: [{ key: 'sentiment', cron: '5 * * * *', runs: 1 }],
      labels: [{ key: 'labels', cron: '10 * * * *', runs: 1 }],
      retention: [{ key: 'retention', cron: '30 3 * * *', runs: 1 }],
    });
  });
});
