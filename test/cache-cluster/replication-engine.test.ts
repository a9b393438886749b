import * as http from 'http';
import { Duration } from 'aws-cdk-lib';
import { EngineSandbox, freePort, infoFields, redisCli, sleep, waitFor, writeFile } from './engine-harness';
import { accepts, exchange, PersistentWriteProbe, WriteProbe } from './write-probe';
import { renderHaproxyConfig } from '../../src/cache-cluster/haproxy-config';
import { renderProxyGateScript } from '../../src/cache-cluster/proxy-gate';
import { failoverTimeoutMs, renderRedisConf, renderSentinelConf, renderSentinelPrimaryOptions } from '../../src/cache-cluster/redis-config';
import { resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import { renderRedisPreStopScript, renderRedisStartScript, renderSentinelStartScript } from '../../src/cache-cluster/start-scripts';
import { PlatformTarget } from '../../src/platform/target';
import { requireTool } from '../conformance/tools';

/*
 * Replication mode under real redis-server, redis-sentinel and haproxy on loopback: the generated
 * configs and start scripts, with only ports and directories adapted. One primary, two replicas,
 * three Sentinels (quorum 2), and the HAProxy primary endpoint.
 */
const haveEngines = requireTool('redis-server', 'apt-get install redis-server')
  && requireTool('redis-sentinel', 'apt-get install redis-sentinel')
  && requireTool('haproxy -v', 'apt-get install haproxy');
const describeEngines = haveEngines ? describe : describe.skip;

const PASSWORD = 'engine-test-Password-123';
const FAILURE_DETECTION_MS = 2000;
/**
 * How long the test waits for a failover or a switchover: a bound on one that never happens, not a
 * speed requirement. The times taken are reported, never asserted (a loaded machine stretches
 * them); what sets them, Sentinel's down-after-milliseconds, is asserted instead.
 */
const FAILOVER_WAIT_MS = 60_000;

describeEngines('replication mode on real redis-server, redis-sentinel and haproxy', () => {
  const spec = resolveCacheClusterSpec('orders-cache', {
    replicas: 2,
    // Plain text here; TLS is proven in tls-engine.test.ts.
    kubernetes: { failureDetection: Duration.millis(FAILURE_DETECTION_MS), tls: false },
  }, PlatformTarget.KUBERNETES);
  const sandbox = new EngineSandbox();
  const redisPorts: number[] = [];
  const sentinelPorts: number[] = [];
  let proxyPort = 0;
  let proxyHealthPort = 0;
  /** Worst write gap per event, reported at the end. */
  const gaps: Record<string, number> = {};

  const nodeEnv = (port: number, name: string) => ({
    SELF_HOST: '127.0.0.1',
    REDIS_PORT: String(port),
    REDIS_NODES: redisPorts.map(p => `127.0.0.1:${p}`).join(' '),
    SENTINELS: sentinelPorts.map(p => `127.0.0.1:${p}`).join(' '),
    REDIS_PASSWORD: PASSWORD,
    CONFIG_DIR: sandbox.subdir(`${name}/config`),
    RUN_DIR: sandbox.subdir(`${name}/run`),
    DATA_DIR: sandbox.subdir(`${name}/data`),
  });

  const startRedis = (i: number) => {
    const env = nodeEnv(redisPorts[i], `redis-${i}`);
    writeFile(env.CONFIG_DIR, 'redis.conf', renderRedisConf(spec, { port: redisPorts[i], dataDir: env.DATA_DIR, bind: '127.0.0.1' }));
    const script = writeFile(env.CONFIG_DIR, 'start.sh', renderRedisStartScript(spec));
    sandbox.start(`redis-${i}`, 'sh', [script], env);
  };
  const startSentinel = (i: number) => {
    const env = { ...nodeEnv(0, `sentinel-${i}`), SENTINEL_PORT: String(sentinelPorts[i]) };
    writeFile(env.CONFIG_DIR, 'sentinel.conf', renderSentinelConf(spec, { port: sentinelPorts[i], dir: env.RUN_DIR }));
    writeFile(env.CONFIG_DIR, 'sentinel-primary.conf', renderSentinelPrimaryOptions(spec));
    const script = writeFile(env.CONFIG_DIR, 'start.sh', renderSentinelStartScript(spec));
    sandbox.start(`sentinel-${i}`, 'sh', [script], env);
  };
  const replication = (port: number) => infoFields(redisCli(port, PASSWORD, ['INFO', 'replication']));
  const sentinelPrimary = (i: number) => redisCli(sentinelPorts[i], PASSWORD, ['SENTINEL', 'get-master-addr-by-name', spec.name]).trim().split('\n');
  const logs = () => [...redisPorts.map((_, i) => `redis-${i}`), ...sentinelPorts.map((_, i) => `sentinel-${i}`), 'haproxy', 'haproxy-2', 'prestop']
    .map(n => `--- ${n}\n${sandbox.log(n).slice(-1500)}`).join('\n');
  /** A proxy whose backend lists the nodes in `order` (HAProxy's first-server balancing prefers the first). */
  const startProxy = (name: string, port: number, healthPort: number, order: number[]) => {
    const servers = order.map(i => ({ name: `${spec.name}-${i}`, address: `127.0.0.1:${redisPorts[i]}` }));
    const dir = sandbox.subdir(name);
    const gateScript = writeFile(dir, 'primary-gate.lua', renderProxyGateScript(spec));
    const config = renderHaproxyConfig(spec, servers, { port, healthPort, dnsResolution: false, bindAddress: '127.0.0.1', gateScript });
    sandbox.start(name, 'haproxy', ['-db', '-f', writeFile(dir, 'haproxy.cfg', config)], { REDIS_PASSWORD: PASSWORD });
  };
  /**
   * Runs `event` while a client writes continuously through `port`, from \`settleMs\` before to
   * \`settleMs\` after it; returns what that client saw.
   */
  const throughEvent = async (name: string, port: number, healthPort: number, event: () => Promise<void>, settleMs = 1500) => {
    const probe = new WriteProbe(port, PASSWORD, name);
    probe.start();
    const ready = watchReady(port, healthPort);
    await sleep(settleMs);
    const from = Date.now();
    await event();
    await sleep(settleMs);
    const to = Date.now();
    await probe.stop();
    const readyRoutes = await ready.stop();
    gaps[name] = probe.worstGapMs(from, to);
    return { probe, failures: probe.failuresBetween(0, Date.now()), counts: probe.failureCounts(), worstGapMs: gaps[name], readyRoutes };
  };
  /** Asks /ready every 50 ms; after each 200, whether a connection through the proxy reached a primary. */
  const watchReady = (port: number, healthPort: number) => {
    const routes: boolean[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        if (await httpStatus(healthPort, '/ready').catch(() => 0) === 200) routes.push(await routesToPrimary(port));
        await sleep(50);
      }
    })();
    return { stop: async () => { running = false; await loop; return routes; } };
  };
  /** Whether a connection through the proxy now reaches a primary (INFO replication says role:master). */
  const routesToPrimary = async (port: number) => {
    const { text } = await exchange(port, [['AUTH', PASSWORD], ['INFO', 'replication']], 5000, lines => lines.some(l => l.startsWith('role:')));
    return /role:master/.test(text);
  };

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) redisPorts.push(await freePort());
    for (let i = 0; i < 3; i++) sentinelPorts.push(await freePort());
    proxyPort = await freePort();
    proxyHealthPort = await freePort();
  });
  afterAll(() => sandbox.stop());

  test('the start scripts form one primary with two replicas, watched by three Sentinels', async () => {
    startRedis(0);
    await waitFor('the primary', 10_000, () => replication(redisPorts[0]).role === 'master' || undefined, logs);
    startRedis(1);
    startRedis(2);
    const info = await waitFor('two connected replicas', 15_000, () => {
      const r = replication(redisPorts[0]);
      // min-replicas-to-write counts replicas whose acknowledgement is recent: wait until both count.
      return r.connected_slaves === '2' && r.min_slaves_good_slaves === '2' ? r : undefined;
    }, logs);
    expect(info.role).toBe('master');
    expect([info.slave0, info.slave1].map(s => s.match(/port=(\d+)/)![1]).sort()).toEqual([redisPorts[1], redisPorts[2]].map(String).sort());
    expect(redisCli(redisPorts[0], PASSWORD, ['CONFIG', 'GET', 'min-replicas-to-write'])).toContain('\n1');
    expect(redisCli(redisPorts[0], PASSWORD, ['CONFIG', 'GET', 'appendfsync'])).toContain('everysec');

    for (let i = 0; i < 3; i++) startSentinel(i);
    await waitFor('Sentinels that know each other and both replicas', 20_000, () => sentinelPorts.every(p => {
      const master = redisCli(p, PASSWORD, ['SENTINEL', 'master', spec.name]).split('\n');
      const field = (name: string) => master[master.indexOf(name) + 1];
      return field('num-other-sentinels') === '2' && field('num-slaves') === '2' && field('quorum') === '2';
    }) || undefined, logs);
    expect(sentinelPrimary(0)).toEqual(['127.0.0.1', String(redisPorts[0])]);
    // Every Sentinel declares the primary down after spec's failure detection: what bounds a promotion.
    for (const p of sentinelPorts) {
      const master = redisCli(p, PASSWORD, ['SENTINEL', 'master', spec.name]).split('\n');
      expect(master[master.indexOf('down-after-milliseconds') + 1]).toBe(String(FAILURE_DETECTION_MS));
    }
  });

  /**
   * Starts a proxy and, from the moment it accepts connections, writes through it continuously and
   * asks its /ready; after every 200, a connection through it must reach the primary.
   */
  const proxyStart = async (name: string, port: number, healthPort: number, order: number[]) => {
    startProxy(name, port, healthPort, order);
    await waitForAsync('the proxy to accept connections', 5000, () => accepts(port));
    const from = Date.now();
    const probe = new WriteProbe(port, PASSWORD, name);
    probe.start();
    const ready = watchReady(port, healthPort);
    let firstReady = 0;
    while (Date.now() - from < 3000) {
      if (!firstReady && await httpStatus(healthPort, '/ready').catch(() => 0) === 200) firstReady = Date.now();
      await sleep(10);
    }
    await probe.stop();
    const readyRoutes = await ready.stop();
    const to = Date.now();
    gaps[name] = probe.worstGapMs(from, to);
    return { counts: probe.failureCounts(), readyRoutes, readyAfterMs: firstReady - from, writes: probe.successes.length };
  };

  test('HAProxy routes to the primary; a client writing from the moment it listens sees no error', async () => {
    const started = await proxyStart('haproxy', proxyPort, proxyHealthPort, [0, 1, 2]);
    console.info(`proxy start: ${started.writes} writes, failures ${JSON.stringify(started.counts)}, ` +
      `worst write gap ${gaps.haproxy} ms, /ready 200 after ${started.readyAfterMs} ms`);
    expect(started.counts).toEqual({});
    expect(started.readyRoutes.length).toBeGreaterThan(0);
    expect(started.readyRoutes.every(r => r)).toBe(true);
    expect(replication(proxyPort).connected_slaves).toBe('2');
  });

  test('killing the primary: a replica is promoted, the proxy follows, no WAIT-acknowledged write is lost', async () => {
    const acknowledged: string[] = [];
    let attempts = 0;
    const write = () => {
      const key = `order:${attempts++}`;
      const reply = redisCli(proxyPort, PASSWORD, [], `SET ${key} ${key}\nWAIT 1 500\n`).trim().split('\n');
      if (reply[0] === 'OK' && Number(reply[1]) >= 1) acknowledged.push(key);
    };
    for (let i = 0; i < 100; i++) write();
    expect(acknowledged).toHaveLength(100);

    const oldPrimary = redisPorts[0];
    await sandbox.kill('redis-0');
    const killedAt = Date.now();
    let promotedAt = 0;
    let routedAt = 0;
    let newPrimary = 0;
    while (Date.now() - killedAt < FAILOVER_WAIT_MS && !routedAt) {
      write();
      if (!promotedAt) {
        const [, port] = sentinelPrimary(1);
        if (port && Number(port) !== oldPrimary) { promotedAt = Date.now(); newPrimary = Number(port); }
      } else if (Number(infoFields(redisCli(proxyPort, PASSWORD, ['INFO', 'server'])).tcp_port) === newPrimary) {
        routedAt = Date.now();
      }
      await sleep(50);
    }
    for (let i = 0; i < 50; i++) write();

    expect(promotedAt).toBeGreaterThan(0);
    const lost = acknowledged.filter(key => redisCli(newPrimary, PASSWORD, ['GET', key]).trim() !== key);
    console.info(`failover: promoted in ${promotedAt - killedAt} ms (failure detection ${FAILURE_DETECTION_MS} ms), ` +
      `proxy routed to the new primary ${routedAt - killedAt} ms after the kill; ${attempts} writes attempted, ` +
      `${acknowledged.length} acknowledged with WAIT, ${lost.length} lost`);
    expect(failoverTimeoutMs(spec)).toBeGreaterThanOrEqual(30_000);
    expect(routedAt).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(replication(proxyPort).role).toBe('master');
    expect(replication(newPrimary).connected_slaves).toBe('1');
  }, 2 * FAILOVER_WAIT_MS + 60_000);

  test('the old primary restarts as a replica of the new primary, not as a second primary', async () => {
    const newPrimary = Number(sentinelPrimary(0)[1]);
    startRedis(0);
    const info = await waitFor('the old primary to rejoin as a replica', 15_000, () => {
      const r = replication(redisPorts[0]);
      return r.role === 'slave' && r.master_link_status === 'up' ? r : undefined;
    }, logs);
    expect(Number(info.master_port)).toBe(newPrimary);
    expect(redisCli(redisPorts[0], PASSWORD, ['GET', 'order:0']).trim()).toBe('order:0');
    await waitFor('the new primary to count two replicas', 10_000, () => replication(newPrimary).connected_slaves === '2' || undefined, logs);
  });

  test('a planned stop (preStop) hands the primary role over: a client writing through the proxy sees no error, no write is lost', async () => {
    const primary = Number(sentinelPrimary(0)[1]);
    const script = writeFile(sandbox.dir, 'prestop.sh', renderRedisPreStopScript(spec));
    let tookMs = 0;
    let exitCode: number | null = null;
    // Also a client holding one connection open through the switchover (measured, see below).
    const persistent = new PersistentWriteProbe(proxyPort, PASSWORD, 'held');
    persistent.start();
    const seen = await throughEvent('switchover', proxyPort, proxyHealthPort, async () => {
      const started = Date.now();
      const preStop = sandbox.start('prestop', 'sh', [script], {
        REDIS_PORT: String(primary), SELF_HOST: '127.0.0.1', REDIS_PASSWORD: PASSWORD, SENTINELS: sentinelPorts.map(p => `127.0.0.1:${p}`).join(' '),
      });
      exitCode = await new Promise<number | null>(resolve => preStop.once('exit', code => resolve(code)));
      tookMs = Date.now() - started;
      await waitForAsync('the proxy to route to the new primary', FAILOVER_WAIT_MS, () => routesToPrimary(proxyPort));
    });
    await persistent.stop();
    console.info(`switchover, one connection held open: ${persistent.successes} writes, ${persistent.connections} connections, ` +
      `failures ${JSON.stringify(persistent.failures)}`);
    // Its command in flight when the old primary's sessions are closed fails once, and only that one.
    expect(persistent.failures.every(f => !/READONLY|NOREPLICAS/.test(f))).toBe(true);
    expect(persistent.failures.length).toBeLessThanOrEqual(1);
    expect(exitCode).toBe(0);
    expect(replication(primary).role).toBe('slave');
    const next = Number(replication(primary).master_port);
    expect(Number(infoFields(redisCli(proxyPort, PASSWORD, ['INFO', 'server'])).tcp_port)).toBe(next);
    const lost = seen.probe.acknowledged.filter(key => redisCli(next, PASSWORD, ['GET', key]).trim() !== key);
    console.info(`switchover: preStop moved the primary role in ${tookMs} ms; ${seen.probe.acknowledged.length} writes acknowledged, ` +
      `${lost.length} lost, failures ${JSON.stringify(seen.counts)}, worst write gap ${seen.worstGapMs} ms`);
    expect(seen.counts).toEqual({});
    expect(seen.readyRoutes.every(r => r)).toBe(true);
    expect(lost).toEqual([]);
  }, 2 * FAILOVER_WAIT_MS + 60_000);

  test('a proxy starting while a replica is its first server never routes to it', async () => {
    const primaryIndex = redisPorts.indexOf(Number(sentinelPrimary(0)[1]));
    const order = [0, 1, 2].filter(i => i !== primaryIndex).concat(primaryIndex);
    const port = await freePort();
    const healthPort = await freePort();
    const started = await proxyStart('haproxy-2', port, healthPort, order);
    console.info(`proxy start (a replica first): ${started.writes} writes, failures ${JSON.stringify(started.counts)}, ` +
      `worst write gap ${gaps['haproxy-2']} ms, /ready 200 after ${started.readyAfterMs} ms`);
    expect(started.counts).toEqual({});
    expect(started.readyRoutes.length).toBeGreaterThan(0);
    expect(started.readyRoutes.every(r => r)).toBe(true);
  });

  test('a replica restarting costs a client writing through the proxy nothing', async () => {
    const primaryIndex = redisPorts.indexOf(Number(sentinelPrimary(0)[1]));
    const replica = [0, 1, 2].find(i => i !== primaryIndex)!;
    const seen = await throughEvent('replica restart', proxyPort, proxyHealthPort, async () => {
      await sandbox.kill(`redis-${replica}`);
      await sleep(500);
      startRedis(replica);
      await waitForAsync('the replica to resync', 15_000, async () => {
        const r = replication(redisPorts[replica]);
        return r.role === 'slave' && r.master_link_status === 'up';
      });
    });
    console.info(`replica restart: ${seen.probe.successes.length} writes, failures ${JSON.stringify(seen.counts)}, worst write gap ${seen.worstGapMs} ms`);
    expect(seen.counts).toEqual({});
    expect(seen.readyRoutes.every(r => r)).toBe(true);
    console.info(`worst write gap through the proxy per event (ms): ${JSON.stringify(gaps)}`);
  });
});

/** Polls an async probe until it returns true, at most `timeoutMs`. */
async function waitForAsync(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // A connection per request: none is reused after HAProxy may have closed it.
    http.get({ host: '127.0.0.1', port, path, timeout: 2000, agent: false }, res => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}
