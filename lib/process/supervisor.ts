import type { ChildProcess } from 'node:child_process';
import { DEFAULT_RESTART_POLICY, restartDelay, type RestartPolicy } from './restart-policy';

/**
 * One child process kept running: when it dies on its own (any exit code, any signal) it is started
 * again after the policy's backoff; when the policy gives up, `onGiveUp` decides what the product
 * does. `stop()` is the only way it ends quietly.
 */
export interface SupervisedOptions {
  name: string;
  spawn: () => ChildProcess;
  onGiveUp: (why: string) => void;
  policy?: RestartPolicy;
  /** After SIGTERM, how long the child may take before SIGKILL (the worker lets jobs finish). */
  stopGraceMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

export const describeExit = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `was killed by ${signal}` : `exited with code ${code}`);

export class SupervisedChild {
  private child: ChildProcess | undefined;
  private stopping = false;
  private readonly deaths: number[] = [];
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly options: SupervisedOptions) {}

  start(): void {
    const child = this.options.spawn();
    this.child = child;
    child.once('exit', (code, signal) => this.died(child, code, signal));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private died(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || child !== this.child) return;
    const { name, log = console.error, now = Date.now } = this.options;
    const what = `the ${name} ${describeExit(code, signal)}`;
    this.deaths.push(now());
    const delay = restartDelay(this.deaths, now(), this.options.policy ?? DEFAULT_RESTART_POLICY);
    if (delay === null) {
      this.options.onGiveUp(`${what}, and it died ${this.deaths.length} times; giving up`);
      return;
    }
    log(`${what}; restarting it in ${(delay / 1000).toFixed(0)} s`);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (!this.stopping) this.start();
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pending);
    const child = this.child;
    // A child already dead (by signal or not) has nothing to wait for: awaiting its 'exit' would hang.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs ?? 10_000);
    await exited;
    clearTimeout(kill);
  }
}
