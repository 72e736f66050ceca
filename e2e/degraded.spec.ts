import { expect, test } from '@playwright/test';

/**
 * The banner reads the health check; here the browser is handed its answer (the server's 503 on an
 * outage is proven by tests/reliability/supervision.test.ts against a really frozen database).
 */
test('the degraded banner appears while the health check says the database is away, and clears once it is back', async ({ page }) => {
  let down = true;
  await page.route('**/api/health', (route) =>
    route.fulfill({
      status: down ? 503 : 200,
      contentType: 'application/json',
      body: JSON.stringify(down ? { status: 'unavailable', error: 'database unreachable' } : { status: 'ok' }),
    }),
  );
  await page.goto('/');
  await expect(page.getByTestId('degraded-banner')).toBeVisible({ timeout: 25_000 });
  down = false;
  await expect(page.getByTestId('degraded-banner')).toBeHidden({ timeout: 15_000 });
});
