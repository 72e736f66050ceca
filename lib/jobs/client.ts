import 'server-only';
import type { PgBoss } from 'pg-boss';
import { config } from '../config/env';
import { databaseUrl } from '../db/pool';
import { createBoss, ensureQueues } from './boss';
import { tuningFrom } from './definitions';

/** The web app's handle on the queue: it sends jobs and cancels queued ones; workers run them. */
let starting: Promise<PgBoss> | undefined;

export function getBoss(): Promise<PgBoss> {
  starting ??= (async () => {
    const boss = createBoss(databaseUrl(), { max: 2, supervise: false });
    await boss.start();
    await ensureQueues(boss, tuningFrom(config()));
    return boss;
  })().catch((error: unknown) => {
    starting = undefined; // try again on the next request
    throw error;
  });
  return starting;
}
