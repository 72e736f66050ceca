import { expect, test } from '@playwright/test';
import { darkScreenshot, screenshot } from './charts';

test.describe('labels page', () => {
  test('stacks label values per day, with class balance and realized return by label', async ({ page }, testInfo) => {
    await page.goto('/labels?symbol=BTC/USDT&labelType=price_direction&range=30d');
    const days = page.getByTestId('chart-label-days');
    await expect(days).toBeVisible();
    // Three stacked bar series (down, flat, up), one bar per day each.
    // recharts draws the bars after the chart's frame is visible: wait for them rather than count once.
    await expect.poll(() => days.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(3 * 30);
    await expect(page.getByTestId('label-description')).toContainText('price_direction (up/down/flat)');
    const balance = page.getByTestId('class-balance');
    for (const value of ['down', 'flat', 'up']) await expect(balance.getByRole('row', { name: new RegExp(`^${value} `) })).toBeVisible();
    // Realized returns separate the classes: "down" is below zero on average, "up" above.
    const returns = page.getByTestId('return-boxes');
    await expect(returns.getByRole('row', { name: /^down / })).toContainText('-');
    await expect(returns.getByRole('row', { name: /^up / }).locator('td').nth(2)).toContainText('+');
    expect(await returns.locator('svg rect').count()).toBe(3);
    await screenshot(page, testInfo, 'labels-price-direction');
    await darkScreenshot(page, testInfo, 'labels-price-direction-dark');
  });

  test('switching label type, horizon and range changes the distribution', async ({ page }) => {
    await page.goto('/labels?symbol=BTC/USDT&labelType=price_direction&range=30d');
    const balance = page.getByTestId('class-balance');
    await expect(balance).toContainText('flat');
    await page.getByRole('tab', { name: 'market regime' }).click();
    await expect(balance).toContainText('sideways');
    await expect(page.getByTestId('horizon-select')).toHaveValue('12h');
    await page.getByRole('tab', { name: 'sector rotation' }).click();
    await expect(balance).toContainText('altcoin_rotation');
    const before = await page.getByTestId('chart-label-days').locator('.recharts-bar-rectangle').count();
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '1W' }).click();
    await expect.poll(() => page.getByTestId('chart-label-days').locator('.recharts-bar-rectangle').count()).toBeLessThan(before);
  });

  test('says what to do for a symbol without labels, and shows API errors', async ({ page }, testInfo) => {
    await page.goto('/labels?symbol=SOL/USDT');
    await expect(page.getByTestId('empty-state')).toContainText('No labels for SOL/USDT yet');
    await screenshot(page, testInfo, 'labels-empty');
    await page.route('**/api/labels?*', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'internal error' }) }));
    await page.goto('/labels?symbol=BTC/USDT');
    // The first distribution came with the page; the next one is asked for.
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '1Y' }).click();
    await expect(page.getByTestId('error-state')).toContainText('internal error', { timeout: 20_000 });
  });
});
