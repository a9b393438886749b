import * as net from 'net';

/**
 * A client that writes continuously through one address and retries nothing: each write opens a
 * connection, sends AUTH and SET, and reads both replies. Every failure is kept (READONLY,
 * NOREPLICAS, a refused or reset connection, a timeout), and so is the time of every success, so
 * an event's write gap (the longest time without a successful write) can be measured.
 */
export class WriteProbe {
  public readonly successes: number[] = [];
  /** Keys of the successful writes. */
  public readonly acknowledged: string[] = [];
  public readonly failures: Array<{ at: number; error: string }> = [];
  private running = false;
  private loop?: Promise<void>;
  private sequence = 0;

  constructor(
    private readonly port: number,
    private readonly password: string,
    private readonly prefix: string,
    /** How long one write may take before it counts as failed. */
    private readonly timeoutMs = 20_000,
    /** Pause between writes. */
    private readonly intervalMs = 10,
  ) {}

  /** Starts writing in the background. */
  public start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const key = `${this.prefix}:${this.sequence++}`;
        const reply = await sendCommands(this.port, [['AUTH', this.password], ['SET', key, key]], this.timeoutMs);
        const at = Date.now();
        if (reply.error === undefined && reply.replies[0] === '+OK' && reply.replies[1] === '+OK') {
          this.successes.push(at);
          this.acknowledged.push(key);
        } else {
          this.failures.push({ at, error: reply.error ?? reply.replies.join(' ') });
        }
        await new Promise(resolve => setTimeout(resolve, this.intervalMs));
      }
    })();
  }

  /** Stops after the write in flight. */
  public async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Longest time without a successful write between `from` and `to` (ms since the epoch). */
  public worstGapMs(from: number, to: number): number {
    const points = [from, ...this.successes.filter(t => t > from && t < to), to];
    return Math.max(...points.slice(1).map((t, i) => t - points[i]));
  }

  /** Failures counted by message, e.g. `{ "-READONLY …": 12 }`. */
  public failureCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const f of this.failures) counts[f.error] = (counts[f.error] ?? 0) + 1;
    return counts;
  }

  /** Failures between `from` and `to`. */
  public failuresBetween(from: number, to: number): string[] {
    return this.failures.filter(f => f.at >= from && f.at <= to).map(f => f.error);
  }
}

/** One connection: sends `commands` (RESP), reads one status reply per command, closes. */
export async function sendCommands(port: number, commands: string[][], timeoutMs: number): Promise<{ replies: string[]; error?: string }> {
  const { text, error } = await exchange(port, commands, timeoutMs, lines => lines.length >= commands.length || lines.some(l => l.startsWith('-')));
  const replies = text.split('\r\n').filter(l => l !== '');
  return { replies, error: error ?? replies.find(l => l.startsWith('-')) };
}

/** One connection: sends `commands`, reads until `complete` holds for the reply lines so far (or an error), closes. */
export function exchange(
  port: number, commands: string[][], timeoutMs: number, complete: (lines: string[]) => boolean,
): Promise<{ text: string; error?: string }> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ text, error });
    };
    socket.setTimeout(timeoutMs, () => finish(`timeout after ${timeoutMs} ms`));
    socket.on('error', e => finish((e as NodeJS.ErrnoException).code ?? e.message));
    socket.on('connect', () => socket.write(commands.map(resp).join('')));
    socket.on('data', d => {
      text += String(d);
      if (complete(text.split('\r\n').filter(l => l !== ''))) finish();
    });
    socket.on('end', () => finish('connection closed by the server'));
  });
}

/** Whether a TCP connection to 127.0.0.1:`port` is accepted. */
export function accepts(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function resp(args: string[]): string {
  return `*${args.length}\r\n${args.map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/**
 * A client that keeps one connection open and writes on it continuously, retrying nothing: a
 * command whose connection closes or errs before its reply is a failure. A connection closed
 * while idle is replaced before the next write, as pooled clients do (go-redis checks a pooled
 * connection before reusing it).
 */
export class PersistentWriteProbe {
  public readonly failures: string[] = [];
  public successes = 0;
  public connections = 0;
  private running = false;
  private loop?: Promise<void>;

  constructor(private readonly port: number, private readonly password: string, private readonly prefix: string) {}

  public start(): void {
    this.running = true;
    this.loop = (async () => {
      let connection: Connection | undefined;
      for (let i = 0; this.running; i++) {
        if (!connection || connection.closed) {
          connection = await Connection.open(this.port);
          this.connections++;
          const auth = await connection.command(['AUTH', this.password]);
          if (auth !== '+OK') {
            this.failures.push(`AUTH: ${auth}`);
            connection = undefined;
            await new Promise(resolve => setTimeout(resolve, 50));
            continue;
          }
        }
        const reply = await connection.command(['SET', `${this.prefix}:${i}`, String(i)]);
        if (reply === '+OK') this.successes++;
        else this.failures.push(reply);
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      connection?.socket.destroy();
    })();
  }

  public async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** One RESP connection with one command in flight at a time; status and error replies only. */
class Connection {
  public static open(port: number): Promise<Connection> {
    return new Promise(resolve => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const connection = new Connection(socket);
      socket.once('connect', () => resolve(connection));
      socket.once('error', () => resolve(connection));
    });
  }

  public closed = false;
  private pending?: (reply: string) => void;
  private buffer = '';

  private constructor(public readonly socket: net.Socket) {
    socket.on('data', d => {
      this.buffer += String(d);
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0 && this.pending) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        this.settle(line);
      }
    });
    const close = (why: string) => {
      this.closed = true;
      this.settle(why);
    };
    socket.on('error', e => close((e as NodeJS.ErrnoException).code ?? e.message));
    socket.on('close', () => close('connection closed by the server'));
  }

  public command(args: string[]): Promise<string> {
    if (this.closed) return Promise.resolve('connection closed by the server');
    return new Promise(resolve => {
      this.pending = resolve;
      this.socket.write(resp(args));
    });
  }

  private settle(reply: string): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(reply);
  }
}
