import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Processes and files of one engine test, all released by `stop()` (call it in afterAll). */
export class EngineSandbox {
  public readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-engine-'));
  private readonly processes = new Map<string, ChildProcess>();
  /** Every process ever started, also those a restart replaced under the same name. */
  private readonly all: ChildProcess[] = [];
  private readonly logs = new Map<string, string[]>();
  /** Processes whose output streams have closed: their log is complete. */
  private readonly closed = new Set<ChildProcess>();

  /** Starts `command` with `env` added; its output is kept for failure messages. */
  public start(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
    if (this.running(name)) throw new Error(`${name} is already running`);
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    child.stdout!.on('data', d => log.push(String(d)));
    child.stderr!.on('data', d => log.push(String(d)));
    // 'exit' can come before the last output is read; 'close' comes after both.
    child.once('close', () => this.closed.add(child));
    this.processes.set(name, child);
    this.all.push(child);
    this.logs.set(name, log);
    return child;
  }

  /** SIGKILLs one process (a crash, not a shutdown) and waits until it is gone. */
  public async kill(name: string): Promise<void> {
    const child = this.processes.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Whether `name` is still running. */
  public running(name: string): boolean {
    const child = this.processes.get(name);
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** Whether `name` has exited and all its output is in its log (what a test reads after an exit). */
  public finished(name: string): boolean {
    const child = this.processes.get(name);
    return !!child && this.closed.has(child);
  }

  /** Output of one process (for diagnosing a failed wait). */
  public log(name: string): string {
    return (this.logs.get(name) ?? []).join('');
  }

  /** Kills everything that is still running and removes the directory. */
  public async stop(): Promise<void> {
    await Promise.all(this.all.filter(c => c.exitCode === null && c.signalCode === null).map(child => {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited;
    }));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** A fresh subdirectory. */
  public subdir(name: string): string {
    const dir = path.join(this.dir, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
}

/**
 * The kernel hands out source ports for outgoing connections (every redis-cli call) from
 * ip_local_port_range; a port chosen there can be taken by one of them before the engine binds it,
 * minutes later for nodes started mid-test. Engine ports are drawn below that range instead, each
 * jest worker from its own slice, in sequence, so no two draws in one run meet.
 */
const EPHEMERAL_LOW = ephemeralLow();
const SLICE = 600;
let nextOffset = 0;

function ephemeralLow(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/** A free loopback port; with `busOffset`, `port + busOffset` is free too (Redis Cluster's bus). */
export async function freePort(busOffset?: number): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  // Ports and buses from 10000 up to the ephemeral range: [10000, low - offset) holds 12 slices by default.
  const offset = busOffset ?? 0;
  const slices = Math.floor((EPHEMERAL_LOW - offset - 10_000) / SLICE);
  if (slices < 1) return ephemeralFreePort(busOffset);
  const base = 10_000 + ((worker - 1) % slices) * SLICE;
  while (nextOffset < SLICE) {
    const port = base + nextOffset++;
    if (await isFree(port) && (busOffset === undefined || await isFree(port + busOffset))) return port;
  }
  return ephemeralFreePort(busOffset);
}

/** The kernel's choice of a free port, for machines whose ephemeral range leaves no room below it. */
async function ephemeralFreePort(busOffset?: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listenOnce(0);
    if (busOffset === undefined) return port;
    if (port + busOffset < 65536 && await isFree(port + busOffset)) return port;
  }
  throw new Error('no free port pair found');
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(actual));
    });
  });
}

async function isFree(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch {
    return false;
  }
}

/**
 * How long one client call (redis-cli, openssl) may take before it counts as failed: a bound on a
 * hung engine, never a speed requirement. On a loaded machine (two cores shared with other suites)
 * a client process alone can take seconds to start; a timed-out probe would read as a wrong answer.
 */
export const CLIENT_TIMEOUT_MS = 30_000;

/** One redis-cli call against 127.0.0.1:`port`; returns stdout (empty on failure). */
export function redisCli(port: number, password: string, args: string[], input?: string): string {
  const run = spawnSync('redis-cli', ['--no-auth-warning', '-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8', env: { ...process.env, REDISCLI_AUTH: password }, timeout: CLIENT_TIMEOUT_MS, input,
  });
  return (run.stdout ?? '').replace(/\r/g, '');
}

/** `field:value` lines of an INFO reply as a map. */
export function infoFields(reply: string): Record<string, string> {
  return Object.fromEntries(reply.split('\n').filter(l => l.includes(':')).map(l => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
}

/** Polls `probe` until it returns a value other than undefined, at most `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined, diagnose?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${diagnose ? `\n${diagnose()}` : ''}`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Writes `text` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/**
 * A CA (`ca.crt`), a server certificate it signs for localhost and 127.0.0.1 (`tls.crt`, `tls.key`:
 * the keys of the cache's TLS Secret), and a second, unrelated CA (`other-ca.crt`), made with openssl.
 */
export function generateCertificates(dir: string): void {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  };
  for (const ca of ['ca', 'other-ca']) {
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=${ca}`]);
  }
  writeFile(dir, 'san.cnf', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=localhost']);
  run(['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tls.crt', '-days', '2', '-extfile', 'san.cnf']);
}
