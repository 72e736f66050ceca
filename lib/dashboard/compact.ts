/**
 * The chart payload's numbers at the precision a chart can show: 7 significant digits (a price of
 * 43,251.23 or 0.00001234 keeps every digit a screen or a readout shows; TA-Lib's 17-digit
 * doubles would triple the JSON for digits no one sees). Exact values stay in the database and the
 * training-set export.
 */
export const CHART_SIGNIFICANT_DIGITS = 7;

export function roundSignificant(value: number | null, digits = CHART_SIGNIFICANT_DIGITS): number | null {
  if (value === null || !Number.isFinite(value) || Number.isInteger(value)) return value;
  return Number(value.toPrecision(digits));
}

/** Every column rounded; integer columns (time, counts) pass through untouched. */
export function compactColumns<C extends Record<string, (number | null)[]>>(columns: C): C {
  const out: Record<string, (number | null)[]> = {};
  for (const [name, values] of Object.entries(columns)) out[name] = values.map((value) => roundSignificant(value));
  return out as C;
}
