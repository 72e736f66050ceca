/** SQL fragments every read and write of time series shares. */

/** A timestamptz as epoch milliseconds in a double: exact, and independent of the driver's Date parsing. */
export const epochMs = (column: string): string => `(extract(epoch from ${column}) * 1000)::float8`;
