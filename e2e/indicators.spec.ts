import { expect, test } from '@playwright/test';
import { formatPrice } from '../components/ui/format';
import { askAgainOnReturn, darkScreenshot, expectLinesDrawn, linePaths, screenshot } from './charts';
import { withDatabase } from './db';

const PANES = ['rsi', 'macd', 'stoch', 'williams', 'cci', 'adx', 'obv', 'mfi', 'atr'];

test.describe('indicators page', () => {
  test('draws a month of BTC candles with overlays and every indicator panel on one time axis', async ({ page }, testInfo) => {
    await page.goto('/indicators');
    const chart = page.getByTestId('indicator-chart');
    await expect(chart).toBeVisible();
    // Defaults: BTC/USDT 1h over one month, ending at the newest stored candle (2022-06-13, not now).
    // A laptop-wide chart asks for ~456 points: 720 hourly candles become 2-hour buckets from the hourly rollup.
    await expect(chart).toHaveAttribute('data-symbol', 'BTC/USDT');
    await expect(chart).toHaveAttribute('data-timeframe', '1h');
    await expect(chart).toHaveAttribute('data-bucket', '2h');
    await expect(chart).toHaveAttribute('data-points', '360');
    await expect(chart).toHaveAttribute('data-last', String(Date.UTC(2022, 5, 13)));
    await expect(page.getByTestId('chart-summary')).toContainText('360 × 2h buckets from the hourly rollup');

    const price = page.getByTestId('price-chart');
    // Candles are drawn as one path per colour (wicks and bodies), over all 360 points.
    await expect(price.locator('g.candles')).toHaveAttribute('data-candles', '360');
    for (const d of await price.locator('g.candles path, g.volume path').evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''))) {
      expect(d.split('M').length, 'a path of many candles').toBeGreaterThan(100);
    }
    // Bollinger upper/middle/lower and VWAP.
    await expectLinesDrawn(price, 4);
    for (const pane of PANES) await expectLinesDrawn(page.getByTestId(`pane-${pane}`));
    // MACD's histogram: positive bars in one path, negative in another, one bar per point.
    const bars = await page.getByTestId('pane-macd').locator('g.histogram path').evaluateAll((paths) => paths.map((p) => (p.getAttribute('d') ?? '').split('M').length - 1));
    expect(bars.reduce((a, b) => a + b, 0)).toBe(360);

    // Hovering one chart moves the cursor and readouts of all of them (shared syncId).
    const box = (await price.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(price.locator('.pin-tip')).toContainText(/O [\d,.]+ H [\d,.]+ L [\d,.]+ C [\d,.]+/);
    await expect(page.getByTestId('pane-rsi').locator('.pin-tip')).toContainText('RSI');
    await screenshot(page, testInfo, 'indicators-btc-1m');
  });

  test('changing range, symbol and timeframe changes the chart', async ({ page }, testInfo) => {
    await page.goto('/indicators?symbol=BTC/USDT&timeframe=1h&range=30d');
    const chart = page.getByTestId('indicator-chart');
    await expect(chart).toHaveAttribute('data-points', '360');
    const rsiMonth = await linePaths(page.getByTestId('pane-rsi'));

    // A year of hourly candles is read from the daily rollup, within the point budget.
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '1Y' }).click();
    await expect(chart).toHaveAttribute('data-range', '1y');
    await expect(chart).toHaveAttribute('data-bucket', '1d');
    await expect(chart).toHaveAttribute('data-points', '365');
    await expect(page.getByTestId('chart-summary')).toContainText('365 × 1d buckets from the daily rollup');
    const rsiYear = await expectLinesDrawn(page.getByTestId('pane-rsi'));
    expect(rsiYear).not.toEqual(rsiMonth);
    expect(page.url()).toContain('range=1y');

    await page.getByTestId('symbol-select').selectOption('ETH/USDT');
    await expect(chart).toHaveAttribute('data-symbol', 'ETH/USDT');
    // The newest stored close (real Binance data, or the synthetic stand-in without ../shared).
    const ethClose = await withDatabase(async (db) =>
      (await db.query("select close_price from ml_features_ohlcv where symbol = 'ETH/USDT' and timeframe = '1h' order by timestamp desc limit 1")).rows[0].close_price as number,
    );
    await expect(page.getByTestId('chart-summary')).toContainText(formatPrice(ethClose));
    expect(await linePaths(page.getByTestId('pane-rsi'))).not.toEqual(rsiYear);

    await page.getByTestId('symbol-select').selectOption('BTC/USDT');
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '1M' }).click();
    await page.getByTestId('timeframe-select').selectOption('4h');
    await expect(chart).toHaveAttribute('data-timeframe', '4h');
    // A month of 4-hour candles fits the budget: exact candles, 30 days × 6, from the raw table.
    await expect(chart).toHaveAttribute('data-bucket', '4h');
    await expect(chart).toHaveAttribute('data-points', '180');
    await expect(page.getByTestId('chart-summary')).toContainText('180 candles from the raw candles');
    await expectLinesDrawn(page.getByTestId('pane-macd'), 2);
    await screenshot(page, testInfo, 'indicators-btc-4h-1m');
  });

  test('shades and labels the simulated stretch after an outage', async ({ page }, testInfo) => {
    await page.goto('/indicators?symbol=ADA/USDT&timeframe=1h&range=1w');
    await expect(page.getByTestId('simulated-note')).toContainText('48 of');
    await expect(page.getByTestId('price-chart').locator('.simulated-stretch')).toHaveCount(1);
    await expect(page.getByTestId('price-chart')).toContainText('simulated · 48');
    await expect(page.getByTestId('pane-rsi').locator('.simulated-stretch')).toHaveCount(1);
    await screenshot(page, testInfo, 'indicators-ada-simulated');
    await darkScreenshot(page, testInfo, 'indicators-ada-simulated-dark');
  });

  test('says what to do for a symbol with no candles, and shows API errors', async ({ page }, testInfo) => {
    await page.goto('/indicators?symbol=SOL/USDT');
    const empty = page.getByTestId('empty-state');
    await expect(empty).toContainText('No 1h candles for SOL/USDT yet');
    await expect(empty.getByRole('link', { name: 'admin page' })).toHaveAttribute('href', '/admin');
    await screenshot(page, testInfo, 'indicators-empty');

    // A database with no candles at all: the page says how to get some.
    await page.route('**/api/series', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ series: [] }) }));
    await page.goto('/indicators');
    await askAgainOnReturn(page);
    await expect(page.getByTestId('empty-state')).toContainText('No candles stored yet');
    await expect(page.getByTestId('empty-state')).toContainText('start a candle collection on the admin page');
    await page.unroute('**/api/series');

    await page.route('**/api/indicators?*', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'database unavailable' }) }));
    await page.goto('/indicators?symbol=BTC/USDT');
    // The first chart came with the page; the next one is asked for.
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '1Y' }).click();
    await expect(page.getByTestId('error-state')).toContainText('database unavailable', { timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    await screenshot(page, testInfo, 'indicators-error');
  });

  test('is usable at phone width', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/indicators?symbol=ADA/USDT&range=1w');
    await expect(page.getByTestId('indicator-chart')).toBeVisible();
    await expectLinesDrawn(page.getByTestId('pane-rsi'));
    // Nothing wider than the screen: the page does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, testInfo, 'indicators-phone');
  });

  test('the chart API answers 400 naming a bad parameter', async ({ request }) => {
    const response = await request.get('/api/indicators?symbol=BTC/USDT&timeframe=7h');
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toMatch(/^timeframe: /);
    const ok = await request.get('/api/indicators?symbol=BTC/USDT&timeframe=1h&range=1y&points=1500');
    expect(ok.status()).toBe(200);
    const body = await ok.json();
    expect(body.bucket).toMatchObject({ width: '6h', source: '1h' });
    expect(body.columns.t.length).toBeLessThanOrEqual(1_500);
  });
});
