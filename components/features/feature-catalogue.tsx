'use client';

import { useMemo, useState } from 'react';
import type { CatalogueEntry } from '@/lib/features/catalogue';

const FAMILIES = { all: 'All', ohlcv: 'OHLCV', sentiment: 'Sentiment' } as const;

function parameters(entry: CatalogueEntry): string {
  const pairs = Object.entries(entry.parameters);
  return pairs.length ? pairs.map(([k, v]) => `${k} ${v}`).join(', ') : '—';
}

/** Every feature the product computes, filterable by family and by a word of its name or definition. */
export function FeatureCatalogue({ entries }: { entries: readonly CatalogueEntry[] }) {
  const [family, setFamily] = useState<keyof typeof FAMILIES>('all');
  const [text, setText] = useState('');
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return entries.filter((e) => (family === 'all' || e.family === family) && (!needle || `${e.name} ${e.definition}`.toLowerCase().includes(needle)));
  }, [entries, family, text]);

  return (
    <section className="card" aria-labelledby="catalogue-title">
      <div className="card-head">
        <h2 id="catalogue-title">Catalogue</h2>
        <span className="hint" data-testid="catalogue-count">{shown.length} of {entries.length} features</span>
      </div>
      <div className="toolbar" style={{ display: 'flex', gap: 10, flexWrap: 'wrap', marginBottom: 10 }}>
        <label className="field">Family
          <select value={family} onChange={(e) => setFamily(e.target.value as keyof typeof FAMILIES)}>
            {Object.entries(FAMILIES).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <label className="field">Search <input className="button" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="rsi, volume, news…" /></label>
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="feature-catalogue">
          <thead>
            <tr><th>Feature</th><th>Definition</th><th>Parameters</th><th className="num">Warm-up</th><th>Unit</th><th>Inputs</th><th>Version</th></tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.name} data-testid={`feature-${e.name}`}>
                <td><code>{e.name}</code><div className="hint">{e.group}</div></td>
                <td className="wrap">{e.definition}</td>
                <td className="wrap">{parameters(e)}</td>
                <td className="num" title={e.warmUp.note}>{e.warmUp.rows} {e.warmUp.unit}</td>
                <td className="wrap">{e.unit}</td>
                <td>{e.inputs.join(', ')}</td>
                <td><code>{e.version}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!shown.length && <p className="empty">No feature matches “{text}”.</p>}
    </section>
  );
}
