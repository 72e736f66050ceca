'use client';

import { useState, type FormEvent } from 'react';

const LABELS = ['price_direction', 'market_regime', 'sector_rotation'] as const;

/**
 * Downloads the point-in-time training set (features at t joined with the label for t), the same
 * file `npm run features -- export` writes. Errors (bad dates, nothing to export) are shown here.
 */
export function TrainingSetDownload({ symbol, symbols, timeframes }: { symbol: string; symbols: string[]; timeframes: string[] }) {
  const [state, setState] = useState<{ busy: boolean; error?: string; done?: string }>({ busy: false });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    // Several symbols and labels go into one long-format file.
    for (const key of ['symbol', 'label']) for (const value of form.getAll(key)) params.append(key, String(value));
    for (const key of ['timeframe', 'from', 'to', 'format', 'simulated', 'sentimentTolerance']) params.set(key, String(form.get(key) ?? ''));
    setState({ busy: true });
    const response = await fetch(`/api/export?${params}`);
    if (!response.ok) {
      setState({ busy: false, error: ((await response.json()) as { error?: string }).error ?? response.statusText });
      return;
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'training-set';
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = name;
    link.click();
    URL.revokeObjectURL(link.href);
    setState({ busy: false, done: `${name}: ${response.headers.get('x-rows')} rows` });
  }

  return (
    <section className="card" aria-labelledby="training-set-title">
      <div className="card-head">
        <h2 id="training-set-title">Training set</h2>
        <span className="hint">features at t with the labels realized after t, for one or more symbols; values from simulated inputs emptied unless asked</span>
      </div>
      <form onSubmit={submit} aria-label="Download training set" style={{ display: 'flex', flexWrap: 'wrap', gap: 10, alignItems: 'center' }}>
        <label className="field">Symbol
          <select name="symbol" multiple size={Math.min(4, symbols.length)} defaultValue={[symbol]}>{symbols.map((s) => <option key={s}>{s}</option>)}</select>
        </label>
        <label className="field">Timeframe
          <select name="timeframe" defaultValue={timeframes.includes('1h') ? '1h' : timeframes[0]}>{timeframes.map((t) => <option key={t}>{t}</option>)}</select>
        </label>
        <label className="field">Label
          <select name="label" multiple size={LABELS.length} defaultValue={[LABELS[0]]}>{LABELS.map((l) => <option key={l}>{l}</option>)}</select>
        </label>
        <label className="field">From <input className="button" type="date" name="from" required /></label>
        <label className="field">To <input className="button" type="date" name="to" required /></label>
        <label className="field">Format
          <select name="format"><option>csv</option><option>parquet</option></select>
        </label>
        <label className="field">Simulated inputs
          <select name="simulated" defaultValue="empty">
            <option value="empty">empty their values</option>
            <option value="drop">drop the row</option>
            <option value="include">include them</option>
          </select>
        </label>
        <label className="field">Sentiment up to
          <select name="sentimentTolerance" defaultValue="24h">{['0', '1h', '6h', '24h', '2d'].map((t) => <option key={t} value={t}>{t === '0' ? 'same hour' : `${t} old`}</option>)}</select>
        </label>
        <button className="button" type="submit" disabled={state.busy}>{state.busy ? 'Preparing…' : 'Download'}</button>
      </form>
      {state.error && <p className="error" role="alert">{state.error}</p>}
      {state.done && <p className="hint" role="status">Downloaded {state.done}.</p>}
    </section>
  );
}
