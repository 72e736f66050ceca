/**
 * What `npm start`'s exit code says, for the supervisor above it (systemd, Docker, Kubernetes):
 * 0 is an orderly stop that was asked for; anything else is a failure worth a restart or a page.
 */
export const EXIT = {
  /** SIGINT/SIGTERM/SIGHUP: web, worker and database stopped in order. */
  stopped: 0,
  /** Could not start: bad configuration, unreachable database, migration or build failure, port in use. */
  startup: 1,
  /** The web server kept dying (more than RESTART_LIMIT times in 10 minutes, default 5). */
  web: 3,
  /** The worker kept dying. */
  worker: 4,
  /** The embedded PostgreSQL kept dying or could not be restarted. */
  database: 5,
} as const;

/** A start-up step failed in a way the message alone explains (no stack trace wanted). */
export class StartupError extends Error {
  override name = 'StartupError';
}
