import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { interNodeTlsErlArgs, renderInterNodeTlsConfig } from '../../src/message-queue/inter-node-tls';
import { QueueUser, renderDefinitionsTemplate, renderEnabledPlugins, renderRabbitmqConf, renderStartScript } from '../../src/message-queue/rabbitmq-config';
import { MessageQueueSpec } from '../../src/message-queue/spec';
import { EngineSandbox, freePort, sleep, writeFile } from '../cache-cluster/engine-harness';

/** Debian's broker scripts; /usr/sbin/rabbitmq-server would switch to the rabbitmq user. */
export const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';

/**
 * Erlang's limit on setting up a distribution connection (`net_setuptime`, 7 s by default), raised
 * for the test's node and its CLI calls: on a loaded machine the TLS handshake between a booting
 * node and a CLI VM took longer, and rabbitmqctl then reported "Erlang distribution failed".
 */
const DISTRIBUTION_SETUP_ARGS = '-kernel net_setuptime 60';
/**
 * The CLI's VM with one scheduler that does not spin while idle (the broker's own start script
 * already turns spinning off): with a scheduler per core spinning, one rabbitmqctl call took 35 to
 * 130 s on two loaded cores, 5 to 9 s with these.
 */
export const CLI_VM_ARGS = '+S 1 +A 1 +sbwt none +sbwtdcpu none +sbwtdio none';
/** How long a CLI call is retried while the distribution connection cannot be set up. */
const CTL_RETRY_MS = 90_000;
/** rabbitmqctl's words for a distribution connection that was not set up (not for a command that failed). */
const UNREACHABLE = /unable to perform an operation on node|Erlang distribution failed|nodedown/;

/** One non-clustered broker started with the generated files, on free loopback ports. */
export class Broker {
  public readonly sandbox = new EngineSandbox();
  public managementPort = 0;
  public prometheusPort = 0;
  public amqpsPort = 0;
  private env: Record<string, string> = {};

  /** Starts epmd and the broker through the generated start script; resolves when the management API answers. */
  public async start(spec: MessageQueueSpec, users: readonly QueueUser[], passwords: Record<string, string>): Promise<void> {
    const dir = this.sandbox.dir;
    const [epmdPort, distPort] = [await freePort(), await freePort()];
    [this.amqpsPort, this.managementPort, this.prometheusPort] = [await freePort(), await freePort(), await freePort()];
    const tls = this.sandbox.subdir('tls');
    issueCertificates(tls);
    const home = this.sandbox.subdir('home');
    const secrets = this.sandbox.subdir('secrets');
    const cookie = writeFile(secrets, 'cookie', `cookie${Math.random().toString(36).slice(2)}${Date.now()}`);
    const node = `rabbit-${Math.random().toString(36).slice(2, 10)}@localhost`;
    const definitionsFile = path.join(this.sandbox.subdir('run'), 'definitions.json');
    const conf = writeFile(dir, 'rabbitmq.conf', renderRabbitmqConf(spec, {
      nodes: [node],
      definitionsFile,
      tlsDir: tls,
      bindAddress: '127.0.0.1',
      amqpsPort: this.amqpsPort,
      managementPort: this.managementPort,
      prometheusPort: this.prometheusPort,
    }));
    const template = writeFile(dir, 'definitions.template.json', renderDefinitionsTemplate(spec, users));
    const erlArgs = interNodeTlsErlArgs(writeFile(dir, 'inter_node_tls.config', renderInterNodeTlsConfig(tls)));
    const script = writeFile(dir, 'start.sh', renderStartScript(users, { template, definitionsFile, cookieFile: cookie }));
    this.env = {
      HOME: home,
      PATH: `${RABBITMQ_BIN}:${process.env.PATH}`,
      ERL_EPMD_PORT: String(epmdPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_NODENAME: node,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_CONFIG_FILE: conf,
      RABBITMQ_ENABLED_PLUGINS_FILE: writeFile(dir, 'enabled_plugins', renderEnabledPlugins()),
      RABBITMQ_MNESIA_BASE: this.sandbox.subdir('mnesia'),
      RABBITMQ_LOG_BASE: this.sandbox.subdir('log'),
      RABBITMQ_PID_FILE: path.join(dir, 'rabbit.pid'),
      // Erlang distribution over TLS, for the node and for rabbitmqctl alike.
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: `${erlArgs} ${DISTRIBUTION_SETUP_ARGS}`,
      RABBITMQ_CTL_ERL_ARGS: `${erlArgs} ${DISTRIBUTION_SETUP_ARGS} ${CLI_VM_ARGS}`,
    };
    this.sandbox.start('epmd', 'epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], this.env);
    // From the sandbox, so anything the VM dumps when killed goes away with it.
    this.sandbox.start('broker', 'sh', ['-c', 'cd "$1" && exec sh "$2"', 'start', dir, script], { ...this.env, ...Object.fromEntries(users.map(u => [passwordEnv(u.name), passwords[u.name]])) });
    // A bound on a broker that never starts, not a speed requirement: on two loaded cores its boot took up to two minutes.
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (!this.sandbox.running('broker')) throw new Error(`broker exited:\n${this.sandbox.log('broker')}`);
      const ok = await request(this.managementPort, 'GET', '/api/overview', undefined, undefined).then(r => r.status === 401, () => false);
      if (ok) {
        // The management listener answers before the rabbit application has finished booting (seen
        // on a loaded machine): wait for the boot itself before any rabbitmqctl call.
        await this.ctl('await_startup', '--timeout', '55');
        return;
      }
      if (Date.now() > deadline) throw new Error(`broker did not start:\n${this.sandbox.log('broker')}`);
      await sleep(250);
    }
  }

  /**
   * rabbitmqctl against the broker, retried while the CLI cannot set up its distribution connection
   * (a loaded machine); a command the broker answers with an error fails at once. Every command the
   * tests run through it is idempotent (reads, tags, await_startup).
   */
  public async ctl(...args: string[]): Promise<string> {
    const deadline = Date.now() + CTL_RETRY_MS;
    for (;;) {
      try {
        return this.ctlWith({}, ...args);
      } catch (e) {
        if (!UNREACHABLE.test(String(e)) || Date.now() > deadline) throw e;
        await sleep(1000);
      }
    }
  }

  /** One rabbitmqctl call; `env` overrides the broker's environment, e.g. to drop the TLS arguments. */
  public ctlWith(env: Record<string, string>, ...args: string[]): string {
    const run = spawnSync(path.join(RABBITMQ_BIN, 'rabbitmqctl'), ['-n', this.env.RABBITMQ_NODENAME, ...args], {
      encoding: 'utf8', env: { ...process.env, ...this.env, ...env }, timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`rabbitmqctl ${args.join(' ')} failed: ${run.stdout}${run.stderr}`);
    return run.stdout;
  }

  /** An HTTP management API call as `user`. */
  public api(user: string, password: string, method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: any }> {
    return request(this.managementPort, method, apiPath, body, `${user}:${password}`);
  }

  /** The rabbitmq_prometheus exposition. */
  public async metrics(apiPath = '/metrics'): Promise<string> {
    return (await request(this.prometheusPort, 'GET', apiPath, undefined, undefined)).body;
  }

  /** Kills the Erlang VM by its pid file (the start scripts may not exec it), then everything else. */
  public async stop(): Promise<void> {
    const pidFile = this.env.RABBITMQ_PID_FILE;
    if (pidFile && fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    await this.sandbox.stop();
  }
}

/** A CA and a broker certificate it signed (`ca.crt`, `tls.crt`, `tls.key`), as cert-manager would issue them. */
function issueCertificates(dir: string): void {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    const run = spawnSync('openssl', args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', file('ca.key'), '-out', file('ca.crt'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', file('tls.key'), '-out', file('tls.csr'));
  fs.writeFileSync(file('ext.cnf'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl('x509', '-req', '-in', file('tls.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1',
    '-extfile', file('ext.cnf'), '-out', file('tls.crt'));
}

function passwordEnv(user: string): string {
  return `RABBITMQ_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function request(port: number, method: string, apiPath: string, body: unknown, auth: string | undefined): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({
      host: '127.0.0.1',
      port,
      method,
      path: apiPath,
      auth,
      // A connection per request. Node's default agent keeps connections alive, and a synchronous
      // rabbitmqctl call blocks the event loop: the broker closed the idle connection meanwhile, the
      // close went unnoticed, and the next request written on it failed with EPIPE.
      agent: false,
      timeout: 10_000,
      headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
    }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any = text;
        try { parsed = JSON.parse(text); } catch { /* plain text */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    if (payload) req.write(payload);
    req.end();
  });
}
