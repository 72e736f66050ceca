import { e2eDatabaseUrl } from './db';
import { seedDashboard } from './seed';

/**
 * Runs after Playwright started the product (webServer), before any spec: seeds its throw-away
 * embedded database once for every spec (see ./seed.ts for what and why).
 */
export default async function globalSetup() {
  const started = Date.now();
  console.log('Seeding the e2e database…');
  const summary = await seedDashboard(e2eDatabaseUrl(), (line) => console.log(line));
  console.log(
    `Seeded in ${((Date.now() - started) / 1000).toFixed(0)} s: ${summary.candles} ${summary.real ? 'real Binance' : 'SYNTHETIC (real data not found)'} candles, ` +
      `${summary.simulatedStretch.candles} simulated, ${summary.labels} labels, ${summary.sentimentRows} sentiment rows.`,
  );
}
