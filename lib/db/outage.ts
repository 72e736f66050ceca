/**
 * Errors that mean "the database is away or too slow right now", not "this request is wrong" nor
 * "the code is broken": answered 503 with Retry-After, so clients and load balancers wait and retry.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

// SQLSTATE classes and codes: 08 connection exception, 57P01–57P05 shutdowns and idle timeouts,
// 57014 statement timeout (query_canceled), 53300 too many connections, 40P01/40001 are retryable too.
const SQLSTATE_REASONS: [RegExp, string][] = [
  [/^08/, 'the database connection failed'],
  [/^57P0[1-5]$/, 'the database is shutting down or restarting'],
  [/^57014$/, 'the query took too long and was cancelled'],
  [/^53/, 'the database is out of resources (connections, memory or disk)'],
  [/^40(001|P01)$/, 'the database asked to retry the transaction'],
];

const MESSAGE_REASONS: [RegExp, string][] = [
  [/timeout exceeded when trying to connect/i, 'the database did not accept a connection in time'],
  [/query read timeout/i, 'the database did not answer in time'],
  [/connection terminated|connection ended|connection closed|terminating connection/i, 'the database connection was lost'],
  [/Client has encountered a connection error/i, 'the database connection was lost'],
  [/the database system is (starting up|shutting down|in recovery mode)/i, 'the database is restarting'],
];

export const RETRY_AFTER_SECONDS = 5;

/** Why `error` is an outage, or null when it is something else. Looks through `cause` chains and AggregateErrors. */
export function outageReason(error: unknown, depth = 0): string | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return 'the database is unreachable';
    for (const [pattern, reason] of SQLSTATE_REASONS) if (/^[0-9A-Z]{5}$/.test(code) && pattern.test(code)) return reason;
  }
  if (typeof message === 'string') for (const [pattern, reason] of MESSAGE_REASONS) if (pattern.test(message)) return reason;
  if (Array.isArray(errors)) for (const inner of errors) {
    const reason = outageReason(inner, depth + 1);
    if (reason) return reason;
  }
  return outageReason(cause, depth + 1);
}
