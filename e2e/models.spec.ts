import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createPrisma, type PrismaClient } from '@/lib/db/prisma';
import { evaluateModel, parseRegistration, predictRange, registerOnnxModel, trainBaseline } from '@/lib/models';
import pg from 'pg';
import { e2eDatabaseUrl, withDatabase } from './db';

/**
 * The loop on the seeded candles (the real Binance series when the shared folder is there): a
 * scikit-learn–style model registered from the command line's code path, a torch model uploaded on
 * the admin page, their 2022 predictions filled, walk-forward metrics beside the baselines, drift,
 * and activation that only an admin session can do.
 */
const TOKEN = 'e2e-admin-token-0123';
const fixtures = path.join(process.cwd(), 'tests/fixtures/models');
const FEATURES = (JSON.parse(readFileSync(path.join(fixtures, 'btc-reference.json'), 'utf8')) as { features: string[] }).features;
const YEAR_2022 = { from: new Date('2022-01-01T00:00:00Z'), to: new Date('2022-06-13T01:00:00Z'), symbols: ['BTC/USDT'] };
// The seeded labels cover the last 120 days of the data (from 2022-02-13).
const LABELLED = { symbol: 'BTC/USDT', from: new Date('2022-02-13T00:00:00Z'), to: YEAR_2022.to, folds: 3 };

let pool: pg.Pool;
let prisma: PrismaClient;

const statusOf = (id: string) => withDatabase(async (db) => (await db.query('select status from ml_models_metadata where model_id = $1', [id])).rows[0]?.status as string | undefined);

/**
 * Signs in through the login API from the page (a JSON sign-in answers 200 and sets the cookie for
 * this host; the form's 303 redirect is built from the server's own URL, which may name another host).
 */
async function signIn(page: Page) {
  await page.goto('/admin/login');
  const status = await page.evaluate(async (token) => (await fetch('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })).status, TOKEN);
  expect(status).toBe(200);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Admin', exact: true })).toBeVisible();
}

/** From the signed-in admin page to its models section, by its link. */
async function openAdminModels(page: Page) {
  await page.getByRole('link', { name: 'Admin · Models' }).click();
  await expect(page.getByRole('heading', { name: 'Admin · Models' })).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  pool = new pg.Pool({ connectionString: e2eDatabaseUrl(), max: 4 });
  prisma = createPrisma(e2eDatabaseUrl());
  const deps = { pool, prisma };
  const registration = parseRegistration({ name: 'btc-logistic', version: '2021', labelType: 'price_direction', symbols: ['BTC/USDT'], trainingStart: '2020-08-01', trainingEnd: '2021-12-31T23:00:00Z', registeredBy: 'e2e' });
  await registerOnnxModel(deps, registration, new Uint8Array(readFileSync(path.join(fixtures, 'btc-logistic.onnx'))));
  await predictRange(deps, 'btc-logistic@2021', YEAR_2022);
  await evaluateModel(deps, 'btc-logistic@2021', LABELLED);
  for (const kind of ['majority', 'logistic_regression'] as const) {
    const baseline = await trainBaseline(deps, {
      kind, symbol: 'BTC/USDT', from: LABELLED.from, to: new Date('2022-04-01T00:00:00Z'),
      registration: parseRegistration({ name: `baseline-${kind.replace('_', '-')}`, version: '1', labelType: 'price_direction', symbols: ['BTC/USDT'], features: FEATURES, registeredBy: 'e2e' }),
    });
    await evaluateModel(deps, baseline.modelId, LABELLED);
  }
});

test.afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
});

test.describe('without an admin session', () => {
  test('activation, upload and the admin models page are refused, and nothing changes', async ({ page, request }) => {
    const activate = await request.post(`/api/admin/models/${encodeURIComponent('btc-logistic@2021')}`, { data: { action: 'activate' } });
    expect(activate.status()).toBe(401);
    expect((await activate.json()).error).toMatch(/admin session required/);
    const upload = await request.post('/api/admin/models', { multipart: { registration: '{}', file: { name: 'm.onnx', mimeType: 'application/octet-stream', buffer: readFileSync(path.join(fixtures, 'btc-mlp.onnx')) } } });
    expect(upload.status()).toBe(401);
    expect(await statusOf('btc-logistic@2021')).toBe('candidate');
    await page.goto('/admin/models');
    await expect(page).toHaveURL(/\/admin\/login$/);
    // The public page offers no way to change a status.
    await page.goto('/models');
    await expect(page.getByTestId('model-versions')).toBeVisible();
    await expect(page.getByRole('button', { name: /Activate|Retire|Roll back/ })).toHaveCount(0);
  });
});

test.describe('with an admin session', () => {
  test.beforeEach(async ({ page }) => signIn(page));

  test('a cross-site activation is refused even with the session', async ({ page }) => {
    const response = await page.request.post(`/api/admin/models/${encodeURIComponent('btc-logistic@2021')}`, { data: { action: 'activate' }, headers: { origin: 'https://evil.example' } });
    expect(response.status()).toBe(403);
    expect(await statusOf('btc-logistic@2021')).toBe('candidate');
  });

  test('uploads the torch model; a model that does not fit is refused with the reason and stores nothing', async ({ page }) => {
    await openAdminModels(page);
    const form = page.getByRole('form', { name: 'Register a model' });
    const fill = async (file: string, name: string) => {
      await form.locator('input[name=file]').setInputFiles(path.join(fixtures, file));
      await form.getByLabel('Name', { exact: true }).fill(name);
      await form.getByLabel('Version', { exact: true }).fill('2021');
      await form.getByLabel('Symbols').fill('BTC/USDT');
      await form.getByLabel('Training from').fill('2020-08-01');
      await form.getByLabel('Training to').fill('2021-12-31T23:00:00Z');
    };
    await fill('bad-regressor.onnx', 'not-a-classifier');
    await form.getByLabel('Features, in the input').fill('rsi,macd_histogram,return_4,realized_vol_24,volume_zscore_20');
    await form.getByLabel('Class names').fill('down,flat,up');
    await form.getByRole('button', { name: 'Register' }).click();
    await expect(page.getByTestId('upload-message')).toContainText('has 1 columns, but there are 3 classes');
    expect(await statusOf('not-a-classifier@2021')).toBeUndefined();

    await form.getByLabel('Features, in the input').fill('');
    await form.getByLabel('Class names').fill('');
    await fill('btc-mlp.onnx', 'btc-mlp');
    await form.getByRole('button', { name: 'Register' }).click();
    await expect(page.getByTestId('upload-message')).toHaveText(`Registered btc-mlp@2021 as a candidate (${FEATURES.length} features).`);
    await expect(page.getByTestId('admin-models').locator('tr[data-model="btc-mlp@2021"]')).toContainText('candidate');
    const deps = { pool, prisma };
    await predictRange(deps, 'btc-mlp@2021', YEAR_2022);
    await evaluateModel(deps, 'btc-mlp@2021', LABELLED);
  });

  test('activates, and rolls back, from the admin page', async ({ page }) => {
    await openAdminModels(page);
    const row = (id: string) => page.getByTestId('admin-models').locator(`tr[data-model="${id}"]`);
    await row('btc-logistic@2021').getByRole('button', { name: 'Activate' }).click();
    await expect(row('btc-logistic@2021')).toContainText('active');
    expect(await statusOf('btc-logistic@2021')).toBe('active');
    await row('btc-logistic@2021').getByRole('button', { name: 'Roll back' }).click();
    await expect(page.getByTestId('admin-models-error')).toContainText('has no earlier active version to roll back to');
    expect(await statusOf('btc-logistic@2021')).toBe('active');
  });
});

test.describe('the models page', () => {
  test('shows versions with their metrics beside the majority, predictions on the price, realized accuracy, calibration and drift worst first', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/models?model=btc-logistic%402021');
    const versions = page.getByTestId('model-versions');
    for (const id of ['btc-logistic@2021', 'btc-mlp@2021', 'baseline-majority@1', 'baseline-logistic-regression@1']) {
      await expect(versions.locator(`tr[data-model="${id}"]`)).toBeVisible();
    }
    await expect(versions.locator('tr[data-model="btc-logistic@2021"]')).toContainText('active');
    await expect(versions.locator('tr[data-model="btc-mlp@2021"]')).toContainText(/\d+\.\d% \(\d+\.\d%\)/);

    const detail = page.getByTestId('model-detail');
    // The detail reads the training window's rows for drift (12,000 candles × 20 features): slower on a busy machine.
    await expect(detail).toHaveAttribute('data-model', 'btc-logistic@2021', { timeout: 60_000 });
    const metrics = detail.getByTestId('metrics-vs-baseline');
    await expect(metrics).toContainText('Majority baseline');
    await expect(metrics.locator('tr', { hasText: 'Log loss' }).locator('td')).toHaveCount(3);
    await expect(detail.getByTestId('folds').locator('tbody tr')).toHaveCount(3);
    await expect(detail.getByTestId('confusion-matrix')).toBeVisible();
    await expect(detail.getByTestId('predictions-chart')).toContainText(/BTC\/USDT close · \d+ predictions/, { timeout: 30_000 });
    await expect(detail.getByTestId('predictions-chart').locator('svg').first()).toBeVisible();
    await expect(detail.getByTestId('rolling-accuracy').locator('svg')).toBeVisible();
    await expect(detail.getByTestId('calibration').locator('svg')).toBeVisible();

    const drift = detail.getByTestId('drift-table');
    await expect(drift.locator('tbody tr')).toHaveCount(FEATURES.length + 1);
    const statuses = await drift.locator('tbody tr:not([data-feature="label"]) td:nth-child(2)').allTextContents();
    const rank = (s: string) => ({ red: 3, amber: 2, stable: 1 })[s.trim()] ?? 0;
    expect(statuses.map(rank)).toEqual([...statuses.map(rank)].sort((a, b) => b - a));

    // Another version from the table: the torch model.
    await versions.getByRole('button', { name: 'btc-mlp@2021' }).click();
    await expect(detail).toHaveAttribute('data-model', 'btc-mlp@2021', { timeout: 60_000 });
    await expect(page).toHaveURL(/model=btc-mlp%402021/);
  });

  test('a bad query is a 400 naming the parameter; an unknown model a 404', async ({ request }) => {
    const bad = await request.get('/api/predictions?model=btc-logistic%402021&symbol=BTC/USDT&from=2022-01-01&to=yesterday');
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error).toMatch(/^to:/);
    expect((await request.get(`/api/models/${encodeURIComponent('nope@1')}`)).status()).toBe(404);
    expect((await request.get('/api/models?status=deployed')).status()).toBe(400);
  });
});
