import { flag, parse } from './args';
import { withDatabase } from './database';

export const RETENTION_USAGE = `  retention [--dry-run]
            Apply the retention tiers (RETENTION_RAW, RETENTION_AGGREGATES) now and print what was
            deleted per table and timeframe; --dry-run counts what would be, deleting nothing.`;

export async function retention(args: string[]): Promise<void> {
  const values = parse(args, { 'dry-run': flag }, []);
  const { config } = await import('@/lib/config/env');
  const { tiersFrom } = await import('@/lib/db/retention-tiers');
  const { applyRetention, describeTiers } = await import('@/lib/db/retention');
  const tiers = tiersFrom(config());
  const { withSession } = await import('@/lib/db/sql');
  const report = await withDatabase((pool, mode) => withSession(pool, (session) => applyRetention(session, mode, { tiers, dryRun: values['dry-run'] === true, runJobs: true })));
  const verb = report.dryRun ? 'would delete' : 'deleted';
  const kept = describeTiers(tiers).map((t) => `${t.timeframe} raw ${t.raw}, aggregates ${t.aggregates}`).join('; ');
  const rules = Object.entries(report.deleted);
  const due = rules.filter(([, n]) => n > 0).map(([rule, n]) => `  ${rule}: ${verb} ${n} rows older than ${report.cutoffs[rule]}`);
  const total = rules.reduce((sum, [, n]) => sum + n, 0);
  console.log(
    [
      `Retention (${report.dryRun ? 'dry run' : 'applied'}): ${kept}`,
      ...due,
      `  ${verb} ${total} rows in total (${rules.length} rules; the others found nothing due)`,
    ].join('\n'),
  );
}
