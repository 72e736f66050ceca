import pg from 'pg';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config/env';
import { startEmbeddedPostgres } from './embedded';

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server if this process started it; otherwise does nothing. */
  close(): Promise<void>;
  /** Present when this process started the embedded server: lets `npm start` notice its death and restart it. */
  supervised?: {
    onUnexpectedExit(listener: (description: string) => void): void;
    restart(): Promise<void>;
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * DATABASE_URL when set; otherwise the embedded server, started here unless another process of the
 * product (e.g. `npm start` while a CLI command runs) already serves the same data folder.
 */
export async function openDatabase(cfg: AppConfig, onLog?: (line: string) => void): Promise<OpenDatabase> {
  if (cfg.DATABASE_URL) return { url: cfg.DATABASE_URL, embedded: cfg.DATABASE_EMBEDDED, close: async () => {} };
  const dataDir = path.resolve(cfg.EMBEDDED_PG_DIR);
  const url = `postgresql://postgres:${encodeURIComponent(cfg.EMBEDDED_PG_PASSWORD)}@127.0.0.1:${cfg.EMBEDDED_PG_PORT}/feature_foundation`;
  if (existsSync(path.join(dataDir, 'postmaster.pid')) && (await answers(url))) {
    return { url, embedded: true, close: async () => {} };
  }
  const start = () => startEmbeddedPostgres({ dataDir, port: cfg.EMBEDDED_PG_PORT, password: cfg.EMBEDDED_PG_PASSWORD, onLog });
  let server = await start();
  const listeners: ((description: string) => void)[] = [];
  const watch = () => server.onUnexpectedExit((description) => listeners.forEach((listener) => listener(description)));
  watch();
  return {
    url: server.url,
    embedded: true,
    close: () => server.stop(),
    supervised: {
      onUnexpectedExit: (listener) => listeners.push(listener),
      async restart() {
        server = await start();
        watch();
      },
    },
  };
}
