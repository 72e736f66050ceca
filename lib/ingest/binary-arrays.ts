/**
 * Array parameters in PostgreSQL's binary format. node-postgres (and PGlite) send a Buffer
 * parameter as binary, so a column of 5,000 doubles crosses as 8-byte values instead of text
 * the client must print and the server must parse: most of a bulk upsert's cost otherwise.
 * Layout (array_recv): ndim, has-nulls flag, element type OID, then per dimension its length and
 * lower bound, then per element a 4-byte length (−1 for NULL) and the value, all big-endian.
 */
const FLOAT8_OID = 701;
const TIMESTAMPTZ_OID = 1184;
const HEADER = 20;
// timestamptz on the wire: microseconds since 2000-01-01 00:00 UTC.
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

function arrayBuffer(count: number, elementType: number, hasNulls: boolean, bytes: number): { buffer: Buffer; view: DataView } {
  const buffer = Buffer.allocUnsafe(HEADER + bytes);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  view.setInt32(0, 1);
  view.setInt32(4, hasNulls ? 1 : 0);
  view.setInt32(8, elementType);
  view.setInt32(12, count);
  view.setInt32(16, 1);
  return { buffer, view };
}

/** float8[]; null elements become SQL NULL. */
export function float8ArrayParam(values: readonly (number | null)[]): Buffer {
  let nulls = 0;
  for (const value of values) if (value === null) nulls++;
  const { buffer, view } = arrayBuffer(values.length, FLOAT8_OID, nulls > 0, values.length * 12 - nulls * 8);
  let offset = HEADER;
  for (const value of values) {
    if (value === null) {
      view.setInt32(offset, -1);
      offset += 4;
    } else {
      view.setInt32(offset, 8);
      view.setFloat64(offset + 4, value);
      offset += 12;
    }
  }
  return buffer;
}

/** timestamptz[] from unix milliseconds. */
export function timestamptzArrayParam(milliseconds: readonly number[]): Buffer {
  const { buffer, view } = arrayBuffer(milliseconds.length, TIMESTAMPTZ_OID, false, milliseconds.length * 12);
  let offset = HEADER;
  for (const ms of milliseconds) {
    view.setInt32(offset, 8);
    view.setBigInt64(offset + 4, BigInt(ms - POSTGRES_EPOCH_MS) * 1000n);
    offset += 12;
  }
  return buffer;
}

/** float8[] of `values` at `indexes` (all of them by default); NaN and ±Infinity (no value) become SQL NULL. */
export function float8ColumnParam(values: Float64Array, indexes?: readonly number[]): Buffer {
  const count = indexes ? indexes.length : values.length;
  const at = indexes ? (k: number) => values[indexes[k]!]! : (k: number) => values[k]!;
  let nulls = 0;
  for (let k = 0; k < count; k++) if (!Number.isFinite(at(k))) nulls++;
  const { buffer, view } = arrayBuffer(count, FLOAT8_OID, nulls > 0, count * 12 - nulls * 8);
  let offset = HEADER;
  for (let k = 0; k < count; k++) {
    const value = at(k);
    if (!Number.isFinite(value)) {
      view.setInt32(offset, -1);
      offset += 4;
    } else {
      view.setInt32(offset, 8);
      view.setFloat64(offset + 4, value);
      offset += 12;
    }
  }
  return buffer;
}
