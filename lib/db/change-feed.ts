import pg from 'pg';

/**
 * Tells a process when another one changed the candles: migration 0018 has every statement that
 * writes ml_features_ohlcv (the worker, the import, retention, SQL by hand) send a notification on
 * CANDLES_CHANGED, delivered at commit. One dedicated connection LISTENs; when it is lost,
 * notifications may be missed, so the listener is told it cannot trust what it kept (`onTrust`)
 * until the connection is back, then reconnects with backoff (1 s … 30 s).
 */
export const CANDLES_CHANGED = 'ff_candles_changed';

export interface ChangeListener {
  onChange(): void;
  /** True once LISTEN is in place (after each reconnect), false when the connection is lost. */
  onTrust(trusted: boolean): void;
}

export interface ChangeFeed {
  close(): Promise<void>;
}

export function watchChanges(connectionString: string, channel: string, listener: ChangeListener): ChangeFeed {
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const lost = () => {
    listener.onTrust(false);
    const dead = client;
    client = null;
    dead?.end().catch(() => {});
    if (closed) return;
    const delay = Math.min(30_000, 1_000 * 2 ** Math.min(failures, 5));
    failures += 1;
    retry = setTimeout(connect, delay);
    retry.unref();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000, keepAlive: true });
    client = next;
    next.on('error', () => client === next && lost());
    next.on('end', () => client === next && lost());
    next.on('notification', (message) => message.channel === channel && listener.onChange());
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (client !== next || closed) return;
      failures = 0;
      listener.onTrust(true);
    } catch {
      if (client === next) lost();
    }
  };

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const last = client;
      client = null;
      listener.onTrust(false);
      await last?.end().catch(() => {});
    },
  };
}
