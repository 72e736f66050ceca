'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ModelRecord } from '@/lib/models/contract';
import { fetchJson } from '../ui/api';
import { StatusBadge } from '../ui/states';
import { STATUS_BADGE } from './format';

async function send(url: string, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

const csv = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

function UploadForm({ labelTypes, timeframes, onDone }: { labelTypes: readonly string[]; timeframes: readonly string[]; onDone: () => void }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const upload = useMutation({
    mutationFn: (form: FormData) => send('/api/admin/models', { method: 'POST', body: form }) as Promise<{ model: ModelRecord }>,
    onSuccess: ({ model }) => {
      setMessage({ ok: true, text: `Registered ${model.modelId} as a candidate (${model.features.length} features).` });
      onDone();
    },
    onError: (error) => setMessage({ ok: false, text: (error as Error).message }),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const registration = {
      name: text('name'), version: text('version'), labelType: text('labelType'), horizon: text('horizon') || undefined, timeframe: text('timeframe'),
      symbols: csv(text('symbols')), features: csv(text('features')), classNames: csv(text('classNames')).length ? csv(text('classNames')) : undefined,
      trainingStart: text('trainingStart') || undefined, trainingEnd: text('trainingEnd') || undefined,
    };
    const form = new FormData();
    form.set('file', data.get('file') as File);
    form.set('registration', JSON.stringify(registration));
    upload.mutate(form);
  }
  return (
    <form className="card" onSubmit={submit} data-testid="model-upload" aria-label="Register a model">
      <div className="card-head"><h2>Register an ONNX model</h2><span className="hint">checked against the contract before anything is stored</span></div>
      <div className="grid" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 10 }}>
        <label className="field">Model file (.onnx)<input name="file" type="file" accept=".onnx" required /></label>
        <label className="field">Name<input name="name" required placeholder="btc-direction" /></label>
        <label className="field">Version<input name="version" required placeholder="1" /></label>
        <label className="field">Label<select name="labelType">{labelTypes.map((l) => <option key={l}>{l}</option>)}</select></label>
        <label className="field">Horizon<input name="horizon" placeholder="default of the label" /></label>
        <label className="field">Timeframe<select name="timeframe" defaultValue="1h">{timeframes.map((t) => <option key={t}>{t}</option>)}</select></label>
        <label className="field">Symbols (comma-separated; empty: all tracked)<input name="symbols" placeholder="BTC/USDT" /></label>
        <label className="field">Features, in the input&apos;s order (empty: the file&apos;s metadata)<input name="features" placeholder="rsi,macd_histogram,…" /></label>
        <label className="field">Class names, in probability-column order<input name="classNames" placeholder="down,flat,up" /></label>
        <label className="field">Training from<input name="trainingStart" placeholder="2021-01-01" /></label>
        <label className="field">Training to<input name="trainingEnd" placeholder="2021-12-31" /></label>
      </div>
      <div className="toolbar" style={{ marginTop: 10 }}>
        <button className="button" type="submit" disabled={upload.isPending}>{upload.isPending ? 'Checking…' : 'Register'}</button>
        {message && <span role={message.ok ? 'status' : 'alert'} className={message.ok ? 'status-ok' : 'status-bad'} data-testid="upload-message">{message.text}</span>}
      </div>
    </form>
  );
}

/** The admin area's model section: the one place to activate, retire and roll back, and to upload. */
export function AdminModels({ labelTypes, timeframes }: { labelTypes: readonly string[]; timeframes: readonly string[] }) {
  const client = useQueryClient();
  const models = useQuery({ queryKey: ['models'], queryFn: ({ signal }) => fetchJson<{ models: ModelRecord[] }>('/api/models', signal) });
  const [error, setError] = useState<string | null>(null);
  const action = useMutation({
    mutationFn: ({ id, act }: { id: string; act: 'activate' | 'retire' | 'rollback' }) =>
      send(`/api/admin/models/${encodeURIComponent(id)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: act }) }),
    onSuccess: () => { setError(null); void client.invalidateQueries({ queryKey: ['models'] }); },
    onError: (e) => setError((e as Error).message),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['models'] });
  return (
    <div className="stack">
      <section className="card">
        <div className="card-head"><h2>Model versions</h2><span className="hint">one active version per name; the worker scores every new candle with each active version</span></div>
        {error && <div className="error" role="alert" data-testid="admin-models-error">{error}</div>}
        <div className="table-wrap">
          <table className="data" data-testid="admin-models">
            <thead><tr><th>Model</th><th>Status</th><th>Kind</th><th>Predicts</th><th>Actions</th></tr></thead>
            <tbody>
              {(models.data?.models ?? []).map((m) => (
                <tr key={m.modelId} data-model={m.modelId}>
                  <td>{m.modelId}</td>
                  <td><StatusBadge status={STATUS_BADGE[m.status]}>{m.status}</StatusBadge></td>
                  <td>{m.kind}</td>
                  <td>{m.labelType} {m.horizon} · {m.timeframe}</td>
                  <td style={{ display: 'flex', gap: 6 }}>
                    {m.status !== 'active' && m.status !== 'failed' && <button className="button" type="button" onClick={() => action.mutate({ id: m.modelId, act: 'activate' })}>Activate</button>}
                    {m.status === 'active' && <button className="button" type="button" onClick={() => action.mutate({ id: m.modelId, act: 'rollback' })}>Roll back</button>}
                    {m.status !== 'retired' && <button className="button" type="button" onClick={() => action.mutate({ id: m.modelId, act: 'retire' })}>Retire</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <UploadForm labelTypes={labelTypes} timeframes={timeframes} onDone={refresh} />
    </div>
  );
}
