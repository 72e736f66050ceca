import { expect, test } from '@playwright/test';
import { darkScreenshot, expectLinesDrawn, linePaths, screenshot } from './charts';

test.describe('sentiment page', () => {
  test('shows Fear & Greed, news and social scores, polarity shares, momentum, volatility and input provenance', async ({ page }, testInfo) => {
    await page.goto('/sentiment?symbol=BTC/USDT&range=30d');
    await expect(page.getByTestId('sentiment-charts')).toBeVisible();
    for (const chart of ['chart-fear-greed', 'chart-scores', 'chart-ratios', 'chart-momentum', 'chart-volatility']) {
      await expectLinesDrawn(page.getByTestId(chart));
    }
    // Stacked bullish/neutral/bearish areas.
    await expect(page.getByTestId('chart-ratios').locator('path.recharts-area-area')).toHaveCount(3);
    const inputs = page.getByTestId('sentiment-inputs');
    for (const input of ['Fear & Greed index', 'News headlines', 'Social posts']) await expect(inputs.getByRole('row', { name: new RegExp(input) })).toBeVisible();
    await expect(page.getByTestId('sentiment-stats')).toContainText('hourly means');
    await screenshot(page, testInfo, 'sentiment-btc-1m');
    await darkScreenshot(page, testInfo, 'sentiment-btc-1m-dark');
  });

  test('changing range and symbol changes the charts', async ({ page }) => {
    await page.goto('/sentiment?symbol=BTC/USDT&range=1w');
    const scores = page.getByTestId('chart-scores');
    const week = await expectLinesDrawn(scores);
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '3M' }).click();
    // Three months read daily means.
    await expect(page.getByTestId('sentiment-stats')).toContainText('daily means');
    const quarter = await expectLinesDrawn(scores);
    expect(quarter).not.toEqual(week);
    await page.getByTestId('symbol-select').selectOption('ETH/USDT');
    await expect(page).toHaveURL(/symbol=ETH%2FUSDT/);
    await expect.poll(() => linePaths(scores)).not.toEqual(quarter);
  });

  test('says what to do for a symbol without sentiment, and shows API errors', async ({ page }, testInfo) => {
    await page.goto('/sentiment?symbol=SOL/USDT');
    await expect(page.getByTestId('empty-state')).toContainText('No sentiment for SOL/USDT yet');
    await expect(page.getByTestId('empty-state').getByRole('link', { name: 'admin page' })).toBeVisible();
    await screenshot(page, testInfo, 'sentiment-empty');

    await page.route('**/api/sentiment?*', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'internal error' }) }));
    await page.goto('/sentiment?symbol=BTC/USDT');
    // The first history came with the page; the next one is asked for.
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '1Y' }).click();
    await expect(page.getByTestId('error-state')).toContainText('internal error', { timeout: 20_000 });
    await screenshot(page, testInfo, 'sentiment-error');
  });
});
