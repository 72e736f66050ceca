'use client';

import type { TriggerableKind } from '@/lib/jobs/kinds';
import { TriggerForm } from './trigger-form';
import { RunsTable } from './runs-table';
import styles from '../admin.module.css';

export function AdminConsole({ kinds, symbols, timeframes, exchange }: { kinds: TriggerableKind[]; symbols: string[]; timeframes: string[]; exchange: string }) {
  return (
    <div className={styles.layout}>
      <section className="card" aria-labelledby="trigger-title">
        <h2 id="trigger-title">New collection</h2>
        <TriggerForm kinds={kinds} symbols={symbols} timeframes={timeframes} exchange={exchange} />
      </section>
      <section className="card" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <RunsTable />
      </section>
    </div>
  );
}
