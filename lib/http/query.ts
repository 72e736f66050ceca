import { invalid } from '@/lib/errors';

/**
 * A query string as plain key → value, refused (400) when it is ambiguous or malformed before any
 * schema sees it: a key given twice (which one was meant?), a NUL byte (PostgreSQL text cannot hold
 * one), or bytes that were not UTF-8 (URL decoding turned them into U+FFFD).
 */
const MAX_VALUE_LENGTH = 2_000;

/** `repeatable` names the keys that are lists (symbol=A&symbol=B), which may be given more than once. */
export function cleanParams(params: URLSearchParams, repeatable: readonly string[] = []): Record<string, string> {
  const clean: Record<string, string> = Object.create(null);
  for (const [key, value] of params) {
    const name = JSON.stringify(key.slice(0, 40));
    if (Object.hasOwn(clean, key) && !repeatable.includes(key)) throw invalid(`${name}: given more than once`);
    if (key.includes('\0') || value.includes('\0')) throw invalid(`${name}: must not contain NUL bytes`);
    if (key.includes('\uFFFD') || value.includes('\uFFFD')) throw invalid(`${name}: not valid UTF-8`);
    if (value.length > MAX_VALUE_LENGTH) throw invalid(`${name}: longer than ${MAX_VALUE_LENGTH} characters`);
    clean[key] = value;
  }
  return clean;
}
