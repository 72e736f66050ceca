import { ConfigError, parseConfig } from '../lib/config/env';
import { openDatabase } from '../lib/db/open';
import { startWorker } from '../lib/jobs/worker';

/**
 * `npm run worker`: the background collector alone. Any number of these (on any number of
 * machines, against one server database) share the queue without doing a job twice.
 */
async function main() {
  const cfg = parseConfig();
  const database = await openDatabase(cfg);
  const worker = await startWorker({ cfg, databaseUrl: database.url });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `worker: ${error.message}` : error);
  process.exit(1);
});
