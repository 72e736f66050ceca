import { expect, test, type Page } from '@playwright/test';

/**
 * Each page's first data comes with its HTML: the server reads it and hands it to TanStack Query,
 * so the first view draws without a request of its own (polling starts later).
 */
async function apiRequestsDuringLoad(page: Page, url: string): Promise<string[]> {
  const requests: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) requests.push(pathname);
  });
  await page.goto(url);
  // Long enough for any query on mount to have started; shorter than every polling interval.
  await page.waitForTimeout(1_500);
  return requests;
}

test.describe('first paint', () => {
  for (const [url, visible] of [
    ['/', 'freshness-matrix'],
    ['/indicators?symbol=BTC/USDT&timeframe=1h&range=30d', 'indicator-chart'],
    ['/sentiment?symbol=BTC/USDT&range=30d', 'chart-fear-greed'],
    ['/labels?symbol=BTC/USDT&labelType=price_direction&range=30d', 'class-balance'],
    ['/quality', 'series-quality'],
  ] as const) {
    test(`${url} arrives with its data and asks the API for nothing`, async ({ page, request }) => {
      const html = await (await request.get(url)).text();
      expect(html, 'server-rendered markup').toContain(`data-testid="${visible}"`);
      expect(await apiRequestsDuringLoad(page, url)).toEqual([]);
      await expect(page.getByTestId(visible)).toBeVisible();
    });
  }

  test('the indicators page without parameters picks its series on the server too', async ({ page }) => {
    expect(await apiRequestsDuringLoad(page, '/indicators')).toEqual([]);
    await expect(page.getByTestId('indicator-chart')).toHaveAttribute('data-symbol', 'BTC/USDT');
  });
});
