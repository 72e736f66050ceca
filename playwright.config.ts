import { defineConfig } from '@playwright/test';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Browser specs in Debian's Chromium (Playwright's own browser download cannot run here) against
 * the product started the way a user starts it, `npm start`, on a throw-away embedded database,
 * seeded by e2e/global-setup.ts before the first spec.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_PG_DIR ?? mkdtempSync(path.join(tmpdir(), 'ff-e2e-'));
chmodSync(dataDir, 0o755); // the embedded server runs as OS user postgres when we are root
process.env.E2E_PG_DIR = dataDir; // workers re-evaluate this file: keep one folder

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Seeds the started product's database (real Binance candles when the shared folder is there).
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1366, height: 900 } } },
  ],
  webServer: {
    command: 'npx tsx scripts/start.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      EMBEDDED_PG_DIR: path.join(dataDir, 'pg'),
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54339',
      DATABASE_URL: '',
      NEXT_TELEMETRY_DISABLED: '1',
      ADMIN_TOKEN: 'e2e-admin-token-0123',
      // Nothing listens there: every exchange request fails at once, so collections take the flagged fallback.
      EXCHANGE_API_URL: 'http://127.0.0.1:9',
      EXCHANGE_TIMEOUT_MS: '2000',
      // Specs trigger what they need; scheduled collections would only add noise.
      WORKER_SCHEDULE: 'false',
    },
  },
});
