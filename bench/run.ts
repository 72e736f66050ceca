import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench`: every benchmark, one after the other (they would only disturb each other's
 * timings in parallel). Each prints its measurements with ratios against a baseline measured in
 * the same run. `npm run bench -- indicators` runs one.
 */
const BENCHES = ['indicators', 'collect', 'upsert', 'dashboard', 'timescale', 'chart-load', 'csv-import', 'export', 'models', 'memory'];
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
let failed = 0;
for (const name of wanted.length ? wanted : BENCHES) {
  const file = path.join('bench', `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`no benchmark ${file}`);
    failed += 1;
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
