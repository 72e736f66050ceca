import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `npm run bench -- memory`: what `npm start` holds once it is idle, as a user starts it (embedded
 * PostgreSQL on a fresh data folder, the web app and the worker; own ports, schedule off so nothing
 * collects), summed over the whole process tree as PSS (shared pages split between the processes
 * that share them, so PostgreSQL's shared memory is counted once). Goal: ≤ 450 MiB in total.
 * Baseline in the same run: the same tree with the worker replaced by a bare `node -e` that imports
 * nothing, measured beside it — what the worker costs above an empty Node process. Then every page
 * and API is asked for once and the tree measured again: Next loads a route's code on first use.
 */
const GOAL_MIB = 450;
const SAMPLES = 3;

interface Sample {
  pid: number;
  name: string;
  pssKiB: number;
  rssKiB: number;
}

const mib = (kib: number) => kib / 1024;

function rollup(pid: number): { pssKiB: number; rssKiB: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
    return { pssKiB: field('Pss'), rssKiB: field('Rss') };
  } catch {
    return null; // ended meanwhile
  }
}

/** Every live descendant of `root` (and root), from /proc's parent links. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent pid follows the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // ended meanwhile
    }
  }
  const walk = (pid: number): number[] => [pid, ...(children.get(pid) ?? []).flatMap(walk)];
  return walk(root);
}

/** A short name for a process of the tree: which part of the product it is. */
function nameOf(pid: number): string {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const line = argv.join(' ');
  if (line.startsWith('postgres:')) return line.replace(/^postgres: /, 'postgres ').replace(/\d+\.\d+\.\d+\.\d+\(\d+\)/, '').slice(0, 40).trim();
  if (/\/postgres$/.test(argv[0] ?? '')) return 'postgres (postmaster)';
  const program = path.basename(argv[0] ?? '');
  if (program !== 'node') return program || `pid ${pid}`; // npm's sh -c, esbuild's service
  // `tsx x.ts` is a launcher process that runs `node … x.ts` as its child.
  if (/node_modules\/(\.bin\/tsx|tsx\/dist\/cli)/.test(argv[1] ?? '')) return 'tsx launcher (of start.ts)';
  const script = argv.find((arg) => arg.endsWith('.ts')) ?? argv[1] ?? '';
  if (script.endsWith('workers/main.ts')) return 'worker';
  if (script.endsWith('scripts/web.ts')) return 'web';
  if (script.endsWith('scripts/start.ts')) return 'start.ts (supervisor)';
  if (/\bnpm/.test(script)) return 'npm';
  return `node ${path.basename(script)}`;
}

function measure(root: number): Sample[] {
  return tree(root).flatMap((pid) => {
    const memory = rollup(pid);
    return memory ? [{ pid, name: nameOf(pid), ...memory }] : [];
  });
}

async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ended = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Waits for the tree to settle, then prints its PSS by part (postgres's processes one by one) from the last of a few samples. */
async function report(title: string, root: number, bare: number): Promise<{ total: number; worker: number; bare: number }> {
  await sleep(10_000);
  let samples: Sample[] = [];
  let bareKiB = 0;
  for (let i = 0; i < SAMPLES; i++) {
    if (i) await sleep(2_000);
    samples = measure(root);
    bareKiB = rollup(bare)!.pssKiB;
  }
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const group = s.name.startsWith('postgres') ? 'postgres (all processes)' : s.name;
    groups.set(group, [...(groups.get(group) ?? []), s]);
  }
  console.log(`${title}; PSS per part (RSS beside it), load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}:`);
  for (const [group, members] of groups) {
    const pss = members.reduce((sum, s) => sum + s.pssKiB, 0);
    const rss = members.reduce((sum, s) => sum + s.rssKiB, 0);
    console.log(`  ${group.padEnd(28)} ${String(members.length).padStart(2)} × ${mib(pss).toFixed(1).padStart(7)} MiB PSS  (${mib(rss).toFixed(1)} MiB RSS)`);
  }
  for (const s of samples.filter((x) => x.name.startsWith('postgres'))) console.log(`      ${s.name.padEnd(40)} ${mib(s.pssKiB).toFixed(1).padStart(6)} MiB`);
  const sum = (list: Sample[]) => list.reduce((total, s) => total + s.pssKiB, 0);
  return { total: sum(samples), worker: sum(samples.filter((s) => s.name === 'worker')), bare: bareKiB };
}

async function main(): Promise<boolean> {
  const { freePort } = await import('../tests/helpers/net');
  const root = mkdtempSync(path.join(tmpdir(), 'ff-bench-memory-'));
  chmodSync(root, 0o755); // the embedded server runs as OS user postgres when we are root
  const [port, pgPort] = [await freePort(), await freePort()];
  // Its own process group, as a shell gives a command: Ctrl-C (SIGINT to the group) stops it below.
  const product = spawn('npm', ['start'], {
    env: {
      ...process.env,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      EMBEDDED_PG_DIR: path.join(root, 'pg'),
      DATABASE_URL: '',
      ADMIN_TOKEN: 'bench-admin-token-0123',
      WORKER_SCHEDULE: 'false',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  let output = '';
  product.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitFor('the web server and the worker', () => {
      if (ended(product)) throw new Error(`npm start ended:\n${output}`);
      return /web server listening/.test(output) && /worker \S+ started/.test(output);
    }, 600_000);
    const url = `http://127.0.0.1:${port}`;
    await waitFor('/api/health to answer 200', () => fetch(`${url}/api/health`).then((r) => r.status === 200, () => false), 60_000);
    // A user looks at the dashboard once; then nothing happens.
    for (const page of ['/', '/api/overview']) await (await fetch(`${url}${page}`)).arrayBuffer();

    const idle = await report('npm start, idle (schedule off) after one look at the dashboard', product.pid!, bare.pid!);
    const fine = mib(idle.total) <= GOAL_MIB;
    console.log(`  total                        ${mib(idle.total).toFixed(1).padStart(12)} MiB PSS   ${fine ? 'OK' : 'OVER'} (goal ≤ ${GOAL_MIB} MiB; ${(mib(idle.total) / GOAL_MIB).toFixed(2)}× the goal)`);
    console.log(`  baseline: the worker replaced by a bare node -e (${mib(idle.bare).toFixed(1)} MiB): ${mib(idle.total - idle.worker + idle.bare).toFixed(1)} MiB; the worker costs ${mib(idle.worker - idle.bare).toFixed(1)} MiB above it (${(idle.worker / idle.bare).toFixed(1)}× a bare node)\n`);

    // Next loads a route's code when it is first asked for: every page and API once, then idle again.
    const manifest = JSON.parse(readFileSync(path.join('.next', 'app-path-routes-manifest.json'), 'utf8')) as Record<string, string>;
    const routes = Object.values(manifest).filter((route) => !route.includes('[') && !route.startsWith('/_'));
    for (const route of routes) await fetch(`${url}${route}`).then((r) => r.arrayBuffer(), () => null);
    const used = await report(`the same, after each of its ${routes.length} pages and APIs answered once`, product.pid!, bare.pid!);
    console.log(`  total                        ${mib(used.total).toFixed(1).padStart(12)} MiB PSS   (${(mib(used.total) / GOAL_MIB).toFixed(2)}× the goal)\n`);
    return fine;
  } finally {
    bare.kill();
    if (!ended(product)) {
      process.kill(-product.pid!, 'SIGINT');
      await new Promise((resolve) => product.once('exit', resolve));
    }
    rmSync(root, { recursive: true, force: true });
  }
}

process.exitCode = (await main()) ? 0 : 1;
