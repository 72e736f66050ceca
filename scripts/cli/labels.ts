import { NothingToDoError, parse, parseDate, text, texts } from './args';
import { withDatabase } from './database';

export const LABELS_USAGE = `  labels    --symbol S [--symbol S ...] --timeframe TF [--from D] [--to D] [--type T ...]
            Label every candle in the range whose horizon has passed (default: the whole stored
            history), with the specs of LABEL_SPECS (T: a label type or a spec name). Prints
            counts per spec and what was skipped and why; exits 1 when nothing could be labelled.`;

/** One line per spec and per skipped item, as the labels command and import/backfill print them. */
export function describeLabelRun(result: import('@/lib/labels').GenerateLabelsResult): string[] {
  const lines = Object.entries(result.computed).map(([name, n]) => `  ${name}: ${n} labels computed, ${result.written[name] ?? 0} written`);
  if (result.basket) lines.push(`  sector_rotation basket: ${result.basket.join(', ')}`);
  for (const [what, why] of Object.entries(result.skipped)) lines.push(`  skipped ${what}: ${why}`);
  return lines;
}

export async function labels(args: string[]): Promise<void> {
  const values = parse(args, { symbol: texts, timeframe: text, from: text, to: text, type: texts }, ['symbol', 'timeframe']);
  const from = values.from === undefined ? undefined : parseDate(values.from, '--from');
  const to = values.to === undefined ? undefined : parseDate(values.to, '--to');
  const { timeframeMs } = await import('@/lib/market/timeframe');
  timeframeMs(values.timeframe!);
  const { config } = await import('@/lib/config/env');
  const { generateLabels, totalComputed, LabelRequestError } = await import('@/lib/labels');
  const configured = config().LABEL_SPECS;
  const wanted = values.type?.length ? configured.filter((s) => values.type!.includes(s.type) || values.type!.includes(s.name)) : configured;
  const unknown = (values.type ?? []).filter((t) => !configured.some((s) => s.type === t || s.name === t));
  if (unknown.length) {
    const { UsageError } = await import('./args');
    throw new UsageError(`--type ${unknown.join(', ')}: not a configured spec (LABEL_SPECS has ${configured.map((s) => `${s.name} (${s.type} ${s.horizon})`).join(', ')})`);
  }
  const { poolSessions } = await import('@/lib/db/sql');
  const result = await withDatabase(async (pool) => {
    try {
      return await generateLabels({ sessions: poolSessions(pool) }, { symbols: values.symbol!, timeframe: values.timeframe, specs: wanted, from, to });
    } catch (error) {
      if (error instanceof LabelRequestError) throw new NothingToDoError(error.message);
      throw error;
    }
  });
  const range = result.range ? `${new Date(result.range.from).toISOString()} to ${new Date(result.range.to).toISOString()}` : 'no stored candles';
  console.log([`Labels for ${values.symbol!.join(', ')} ${values.timeframe} (${range}):`, ...describeLabelRun(result)].join('\n'));
  if (!totalComputed(result)) throw new NothingToDoError('nothing could be labelled (see skipped above)');
}
