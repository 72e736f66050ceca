'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import styles from '../admin.module.css';

import { sendJson } from '@/components/ui/api';
import { queries } from '@/components/ui/queries';
import type { TriggerableKind } from '@/lib/jobs/kinds';

const trigger = async (body: object): Promise<string[]> => (await sendJson<{ runIds: string[] }>('/api/admin/runs', body)).runIds;

/** The form's kinds and their fields come from the job kinds themselves (lib/jobs/kinds). */
export function TriggerForm({ kinds, symbols, timeframes, exchange }: { kinds: TriggerableKind[]; symbols: string[]; timeframes: string[]; exchange: string }) {
  const queryClient = useQueryClient();
  const [kindId, setKind] = useState(kinds[0]!.id);
  const kind = kinds.find((k) => k.id === kindId) ?? kinds[0]!;
  const mutation = useMutation({ mutationFn: trigger, onSuccess: () => queryClient.invalidateQueries({ queryKey: queries.adminRuns.key }) });
  const needsTimeframes = kind.asks.timeframes;
  const asksDates = kind.asks.from !== 'no';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const dateOf = (name: string) => (form.get(name) ? new Date(`${String(form.get(name))}T00:00:00Z`).toISOString() : undefined);
    mutation.mutate({
      kind: kind.id,
      symbols: form.getAll('symbols').map(String),
      timeframes: needsTimeframes ? form.getAll('timeframes').map(String) : [],
      ...(asksDates ? { from: dateOf('from'), to: dateOf('to') } : {}),
    });
  }

  return (
    <form className={styles.form} onSubmit={submit} aria-label="New collection">
      <label className={styles.field}>
        <span>Kind</span>
        <select className={styles.input} name="kind" value={kind.id} onChange={(e) => setKind(e.target.value)}>
          {kinds.map((k) => <option key={k.id} value={k.id}>{k.label}</option>)}
        </select>
      </label>
      <fieldset>
        <legend>Symbols ({exchange})</legend>
        <div className={styles.choices}>
          {symbols.map((symbol, i) => (
            <label key={symbol} className={styles.choice}>
              <input type="checkbox" name="symbols" value={symbol} defaultChecked={i === 0} /> {symbol}
            </label>
          ))}
        </div>
      </fieldset>
      {needsTimeframes && (
        <fieldset>
          <legend>Timeframes</legend>
          <div className={styles.choices}>
            {timeframes.map((timeframe) => (
              <label key={timeframe} className={styles.choice}>
                <input type="checkbox" name="timeframes" value={timeframe} defaultChecked={timeframe === '1h'} /> {timeframe}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {asksDates && (
        <div className={styles.choices}>
          <label className={styles.field}>
            <span>From (UTC)</span>
            <input className={styles.input} type="date" name="from" required={kind.asks.from === 'required'} />
          </label>
          <label className={styles.field}>
            <span>To (UTC, optional)</span>
            <input className={styles.input} type="date" name="to" />
          </label>
        </div>
      )}
      <button className={styles.button} type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? 'Queuing…' : 'Start'}
      </button>
      {mutation.isError && <p role="alert" className={`${styles.message} ${styles.bad}`}>{mutation.error.message}</p>}
      {mutation.isSuccess && (
        <p role="status" className={`${styles.message} ${styles.ok}`}>
          Queued {mutation.data.length} run{mutation.data.length === 1 ? '' : 's'}.
        </p>
      )}
    </form>
  );
}
