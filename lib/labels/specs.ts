import { z } from 'zod';
import { horizonMs } from './compute';
import { DEFAULT_LABEL_SPECS, LABEL_TYPES, type LabelSpec, type LabelType } from './definitions';

/**
 * Label specifications are configuration (LABEL_SPECS), not code: `name=type/horizon/threshold`
 * entries, comma-separated, e.g. `direction_1d=price_direction/1d/0.5`. Each is validated at
 * start, stored with every label it produced (ml_labels.spec_name, threshold_k), and exportable by
 * name. A label row is keyed by (symbol, type, horizon, timestamp), so two specs of one type must
 * differ in horizon.
 */
export const DEFAULT_SPEC_LIST: readonly LabelSpec[] = LABEL_TYPES.map((type) => DEFAULT_LABEL_SPECS[type]);

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** Parses and validates a spec list; throws with a message naming the entry. */
export function parseLabelSpecs(text: string): LabelSpec[] {
  const specs: LabelSpec[] = [];
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([^=]+)=([^/]+)\/([^/]+)\/([^/]+)$/.exec(entry);
    if (!match) throw new Error(`"${entry}" must look like name=price_direction/4h/0.5`);
    const [, name, type, horizon, threshold] = match.map((part) => part.trim()) as [string, string, string, string, string];
    if (!NAME.test(name)) throw new Error(`"${name}": a spec name is lower case letters, digits and _ (at most 40), starting with a letter`);
    if (!(LABEL_TYPES as readonly string[]).includes(type)) throw new Error(`${name}: "${type}" is not a label type (${LABEL_TYPES.join(', ')})`);
    try {
      horizonMs(horizon);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
    const thresholdK = Number(threshold);
    if (!(thresholdK > 0) || !Number.isFinite(thresholdK)) throw new Error(`${name}: the threshold "${threshold}" must be a positive number`);
    specs.push({ name, type: type as LabelType, horizon, thresholdK });
  }
  if (!specs.length) throw new Error('needs at least one spec');
  const names = new Set<string>();
  const keys = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new Error(`${spec.name}: the name is used twice`);
    const key = `${spec.type}/${spec.horizon}`;
    if (keys.has(key)) throw new Error(`${spec.name}: another spec already labels ${spec.type} over ${spec.horizon} (labels are stored per type and horizon)`);
    names.add(spec.name);
    keys.add(key);
  }
  return specs;
}

export const labelSpecsEnvSchema = {
  LABEL_SPECS: z
    .string()
    .optional()
    .transform((text, context): LabelSpec[] => {
      if (!text?.trim()) return [...DEFAULT_SPEC_LIST];
      try {
        return parseLabelSpecs(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
};

/** A spec by its name, or else the one spec of a label type (the names of the defaults are their types). */
export function findSpec(specs: readonly LabelSpec[], nameOrType: string, horizon?: string): LabelSpec | undefined {
  const byName = specs.find((s) => s.name === nameOrType);
  if (byName && (horizon === undefined || byName.horizon === horizon)) return byName;
  const ofType = specs.filter((s) => s.type === nameOrType);
  if (horizon !== undefined) return ofType.find((s) => s.horizon === horizon);
  return ofType[0];
}
