/**
 * One-row columns for the streaming path. Each indicator has one implementation, its batch `run`
 * over Float64Array columns (tight loops over locals, the kernel's fast path); its streaming
 * `update` puts the candle in row 0 of these and runs that one row, so stream and batch share
 * every operation and cannot drift apart by a bit. Only used synchronously: an update fills them
 * and reads its result back before it returns.
 */
export const ROW_IN = [new Float64Array(1), new Float64Array(1), new Float64Array(1), new Float64Array(1), new Float64Array(1)] as const;
export const ROW_OUT = [new Float64Array(1), new Float64Array(1), new Float64Array(1)] as const;
