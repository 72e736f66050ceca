import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** The `d` of every drawn line in a chart: present and not empty means recharts drew the series. */
export async function linePaths(chart: Locator): Promise<string[]> {
  return chart.locator('path.recharts-curve').evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
}

export async function expectLinesDrawn(chart: Locator, atLeast = 1): Promise<string[]> {
  await expect(chart.locator('path.recharts-curve').first()).toBeAttached();
  const paths = await linePaths(chart);
  expect(paths.length).toBeGreaterThanOrEqual(atLeast);
  // A drawn series is a long path of many segments, not an empty or single-point one.
  for (const d of paths) expect(d.length, 'a line path with points').toBeGreaterThan(40);
  return paths;
}

/** Full-page screenshot kept as the spec's artifact, in light or dark colours. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** The same page in dark mode (the dashboard follows the system setting). */
export async function darkScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, testInfo, name);
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * Pages arrive with their data (server-rendered first paint), so a route that fakes an API answer
 * only takes effect when the page asks again. It asks once its data is stale (the Providers'
 * staleTime, 10 s) and the tab regains focus, as when a person comes back to it.
 */
export async function askAgainOnReturn(page: Page): Promise<void> {
  await page.waitForTimeout(10_500);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
}
