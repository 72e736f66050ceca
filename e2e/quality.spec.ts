import { expect, test } from '@playwright/test';
import { darkScreenshot, expectLinesDrawn, screenshot } from './charts';

test.describe('quality page', () => {
  test('shows freshness, gaps, fallback and simulated rates, validation failures, retention and thresholds', async ({ page }, testInfo) => {
    await page.goto('/quality');
    const series = page.getByTestId('series-quality');
    // Historical data is years old: stale, and red.
    const btc = series.getByRole('row', { name: /BTC\/USDT · 1h/ });
    await expect(btc).toContainText('candles late');
    await expect(btc).toHaveClass(/row-bad/);
    // ADA: 5 hours missing before the simulated stretch.
    const ada = series.getByRole('row', { name: /ADA\/USDT · 1h/ });
    await expect(ada).toContainText('2022-06-13 01:00 · 5 missing');

    await expectLinesDrawn(page.getByTestId('chart-fallback'));
    await expectLinesDrawn(page.getByTestId('chart-simulated'));
    const attempts = page.getByTestId('fallback-by-series');
    await expect(attempts.getByRole('row', { name: /ADA\/USDT/ })).toContainText('168');
    const failures = page.getByTestId('validation-failures');
    for (const rule of ['high', 'jump', 'volume', 'alignment']) await expect(failures.getByRole('row', { name: new RegExp(`^${rule} `) })).toBeVisible();
    await expect(page.getByTestId('thresholds')).toContainText('Fallback rate');

    // Gaps over the whole history, for a chosen series.
    const history = page.getByTestId('gap-history');
    await history.getByTestId('gap-series').selectOption({ label: 'ADA/USDT · 1h' });
    await expect(history).toContainText('2022-06-13 01:00');
    await expect(page.getByTestId('gap-page')).toContainText('5 candles missing');

    const storage = page.getByTestId('storage');
    await expect(page.getByTestId('storage-mode')).toContainText('Embedded PostgreSQL');
    await expect(storage).toContainText('tables kept current by triggers');
    // Tiers per timeframe: the fast ones expire, the years-old 1h history is kept and not flagged.
    const retention = page.getByTestId('retention');
    await expect(retention.locator('tr[data-timeframe="1m"]')).toContainText('90 d');
    const hourly = retention.locator('tr[data-timeframe="1h"]');
    await expect(hourly).toContainText('until you say otherwise');
    await expect(hourly).not.toContainText('older than the horizon');
    // Plain mode: no TimescaleDB jobs or chunks to show.
    await expect(page.getByTestId('timescale-extras')).toHaveCount(0);
    await screenshot(page, testInfo, 'quality');
    await darkScreenshot(page, testInfo, 'quality-dark');
  });

  test('pages through quarantined rows and filters them by rule', async ({ page }) => {
    await page.goto('/quality');
    const quarantine = page.getByTestId('quarantine');
    await expect(page.getByTestId('quarantine-page')).toHaveText('Page 1 of 2 · 42 rows');
    await expect(quarantine.locator('tbody tr')).toHaveCount(25);
    await quarantine.getByRole('button', { name: 'Older →' }).click();
    await expect(page.getByTestId('quarantine-page')).toHaveText('Page 2 of 2 · 42 rows');
    await expect(quarantine.locator('tbody tr')).toHaveCount(17);
    await page.getByTestId('quarantine-rule').selectOption('jump');
    await expect(page.getByTestId('quarantine-page')).toHaveText('Page 1 of 1 · 11 rows');
    await expect(quarantine.locator('tbody tr').first()).toContainText('80% from the previous close');
  });

  test('changing the window changes the report, and API errors show', async ({ page }, testInfo) => {
    await page.goto('/quality?days=7');
    await expect(page.getByTestId('validation-failures')).toContainText('Last 7 d');
    await page.getByRole('group', { name: 'Window' }).getByRole('button', { name: '90D' }).click();
    await expect(page.getByTestId('validation-failures')).toContainText('Last 90 d');
    await expect(page).toHaveURL(/days=90/);

    await page.route('**/api/quality?*', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'internal error' }) }));
    await page.goto('/quality');
    // The first report came with the page; the next window is asked for.
    await page.getByRole('group', { name: 'Window' }).getByRole('button', { name: '7D' }).click();
    await expect(page.getByTestId('error-state')).toContainText('internal error', { timeout: 20_000 });
    await screenshot(page, testInfo, 'quality-error');
  });
});
