import { expect, test } from '@playwright/test';
import { formatDateTime } from '@/components/ui/format';
import { screenshot } from './charts';
import { withDatabase } from './db';

/** Newest open time of a query's `ts` column in the seeded database, as the page prints it. */
async function newest(sql: string): Promise<string> {
  const ms = await withDatabase(async (client) => (await client.query<{ ts: number | null }>(sql)).rows[0]!.ts);
  return formatDateTime(ms);
}

test.describe('features page', () => {
  test('lists all 46 features with definition, parameters, warm-up, unit and version, reached from the nav', async ({ page }, testInfo) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Features' }).click();
    await expect(page).toHaveURL(/\/features$/);
    await expect(page.getByRole('heading', { name: 'Features', level: 1 })).toBeVisible();
    const catalogue = page.getByTestId('feature-catalogue');
    await expect(catalogue.locator('tbody tr')).toHaveCount(46);
    await expect(page.getByTestId('catalogue-count')).toHaveText('46 of 46 features');
    const rsi = page.getByTestId('feature-rsi');
    await expect(rsi).toContainText('TA-Lib RSI(14)');
    await expect(rsi).toContainText('period 14');
    await expect(rsi).toContainText('14 candles');
    await expect(rsi).toContainText('ohlcv-v1');
    const whale = page.getByTestId('feature-whale_sentiment_proxy');
    await expect(whale).toContainText('sentiment-v1');
    await expect(whale).toContainText('candles');

    await page.getByLabel('Family').selectOption('sentiment');
    await expect(catalogue.locator('tbody tr')).toHaveCount(13);
    await page.getByLabel('Family').selectOption('all');
    await page.getByLabel('Search').fill('bollinger');
    await expect(catalogue.locator('tbody tr')).toHaveCount(3);
    await page.getByLabel('Search').fill('no such feature');
    await expect(page.getByText('No feature matches')).toBeVisible();
    await page.getByLabel('Search').fill('');
    await screenshot(page, testInfo, 'features-catalogue');
  });

  test('arrives with its data: the catalogue and the materialization are in the HTML, no API request on load', async ({ page, request }) => {
    const html = await (await request.get('/features')).text();
    expect(html).toContain('data-testid="feature-catalogue"');
    expect(html).toContain('data-testid="materialization"');
    const requests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(new URL(r.url()).pathname);
    });
    await page.goto('/features');
    await page.waitForTimeout(1_500);
    expect(requests).toEqual([]);
  });

  test('shows per series up to when features, labels and sentiment are materialized, here and on the overview', async ({ page }) => {
    const features = await newest(`select (extract(epoch from max(timestamp)) * 1000)::float8 as ts from ml_features_ohlcv where symbol = 'BTC/USDT' and timeframe = '1h'`);
    const labels = await newest(`select (extract(epoch from max(timestamp)) * 1000)::float8 as ts from ml_labels where symbol = 'BTC/USDT' and label_type = 'price_direction' and horizon = '4h' and source = 'ohlcv:1h'`);
    const sentiment = await newest(`select (extract(epoch from max(timestamp)) * 1000)::float8 as ts from ml_features_sentiment where symbol = 'BTC/USDT'`);
    expect([features, labels, sentiment]).not.toContain('—');

    for (const path of ['/features', '/']) {
      await page.goto(path);
      const row = page.getByTestId('materialization-BTC/USDT-1h');
      await expect(row.getByTestId('features-through')).toHaveText(features);
      await expect(row).toContainText(labels);
      await expect(row.getByTestId('sentiment-through')).toHaveText(sentiment);
    }
    const api = await (await page.request.get('/api/features')).json();
    expect(api.count).toBe(46);
    const btc = api.series.find((s: { symbol: string; timeframe: string }) => s.symbol === 'BTC/USDT' && s.timeframe === '1h');
    expect(formatDateTime(btc.materialization.features.through)).toBe(features);
  });

  test('the labels page downloads several symbols and labels in one training set', async ({ page }) => {
    await page.goto('/labels?symbol=BTC/USDT');
    const form = page.getByRole('form', { name: 'Download training set' });
    await form.getByRole('listbox', { name: 'Symbol' }).selectOption(['BTC/USDT', 'ETH/USDT']);
    await form.getByRole('listbox', { name: 'Label' }).selectOption(['price_direction', 'market_regime']);
    await form.locator('input[name="from"]').fill('2022-05-01');
    await form.locator('input[name="to"]').fill('2022-05-07');
    await form.getByRole('combobox', { name: 'Format' }).selectOption('parquet');
    const download = page.waitForEvent('download');
    await form.getByRole('button', { name: 'Download' }).click();
    expect((await download).suggestedFilename()).toBe('BTCUSDT-ETHUSDT_1h_price_direction_4h-market_regime_12h_2022-05-01_2022-05-07.parquet');
    const expected = await withDatabase(async (client) => (await client.query<{ n: number }>(
      `select count(*)::int as n from ml_features_ohlcv f where f.symbol in ('BTC/USDT', 'ETH/USDT') and f.timeframe = '1h'
         and f.timestamp >= '2022-05-01' and f.timestamp < '2022-05-08' and not f.is_simulated
         and exists (select 1 from ml_labels l where l.symbol = f.symbol and l.timestamp = f.timestamp and l.source = 'ohlcv:1h' and not l.is_simulated
                     and (l.label_type, l.horizon) in (('price_direction', '4h'), ('market_regime', '12h')))`,
    )).rows[0]!.n);
    expect(expected).toBeGreaterThan(300);
    await expect(page.getByRole('status')).toContainText(`: ${expected} rows`);

    // The API sends the file's length and answers HEAD and byte ranges with it: what polars.read_parquet(url) needs.
    const url = '/api/export?symbol=BTC/USDT,ETH/USDT&timeframe=1h&from=2022-05-01&to=2022-05-07&label=price_direction&format=parquet';
    const whole = await page.request.get(url);
    const size = (await whole.body()).length;
    expect(whole.headers()['content-length']).toBe(String(size));
    expect((await page.request.head(url)).headers()['content-length']).toBe(String(size));
    const tail = await page.request.get(url, { headers: { range: 'bytes=-8' } });
    expect([tail.status(), tail.headers()['content-range'], tail.headers()['content-length']]).toEqual([206, `bytes ${size - 8}-${size - 1}/${size}`, '8']);
  });
});
