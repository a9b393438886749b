import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as tls from 'tls';
import { CLIENT_TIMEOUT_MS, EngineSandbox, freePort, generateCertificates, infoFields, waitFor, writeFile } from './engine-harness';
import { resolveCacheUser } from '../../src/cache-cluster/access';
import { ACL_USERS_ENV, aclPasswordEnv, renderAclUserLines } from '../../src/cache-cluster/acl-users';
import { renderClusterSetupScript } from '../../src/cache-cluster/cluster-setup-script';
import { CacheClusterMode } from '../../src/cache-cluster/engine';
import { renderHaproxyConfig } from '../../src/cache-cluster/haproxy-config';
import { renderProxyGateScript } from '../../src/cache-cluster/proxy-gate';
import { CLUSTER_BUS_OFFSET, renderRedisConf, renderSentinelConf, renderSentinelPrimaryOptions } from '../../src/cache-cluster/redis-config';
import { resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import { renderRedisStartScript, renderSentinelStartScript } from '../../src/cache-cluster/start-scripts';
import { TLS_CA_ENV } from '../../src/cache-cluster/tls';
import { PlatformTarget } from '../../src/platform/target';
import { requireTool } from '../conformance/tools';

/*
 * Redis TLS under real redis-server, redis-sentinel and haproxy, with a CA and a certificate this
 * test generates (openssl): the generated redis.conf/sentinel.conf/haproxy.cfg and start scripts,
 * only ports and directories adapted. A primary and a replica (replication over TLS), one Sentinel
 * (TLS to the nodes), the proxy passing client TLS through to the primary.
 */
const haveEngines = requireTool('redis-server', 'apt-get install redis-server')
  && requireTool('redis-sentinel', 'apt-get install redis-sentinel')
  && requireTool('haproxy -v', 'apt-get install haproxy')
  && requireTool('openssl version', 'apt-get install openssl');
const describeEngines = haveEngines ? describe : describe.skip;

const PASSWORD = 'engine-test-Password-tls';

describeEngines('TLS on real redis-server, redis-sentinel and haproxy', () => {
  const spec = resolveCacheClusterSpec('orders-cache', { replicas: 1, kubernetes: { sentinels: 1 } }, PlatformTarget.KUBERNETES);
  const sandbox = new EngineSandbox();
  const tlsDir = sandbox.subdir('tls');
  const ca = path.join(tlsDir, 'ca.crt');
  const ports: number[] = [];
  let sentinelPort = 0;
  let proxyPort = 0;
  const orders = resolveCacheUser('orders');

  /** redis-cli over TLS; `cacert` undefined uses the system trust store. */
  const cli = (port: number, args: string[], cacert: string | undefined = ca, extra: string[] = []) => {
    const tlsArgs = ['--tls', ...(cacert ? ['--cacert', cacert] : [])];
    const r = spawnSync('redis-cli', ['--no-auth-warning', ...tlsArgs, ...extra, '-h', '127.0.0.1', '-p', String(port), ...args], {
      encoding: 'utf8', env: { ...process.env, REDISCLI_AUTH: PASSWORD }, timeout: CLIENT_TIMEOUT_MS,
    });
    return `${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/\r/g, '').trim();
  };
  const plain = (port: number, args: string[]) => {
    const r = spawnSync('redis-cli', ['--no-auth-warning', '-h', '127.0.0.1', '-p', String(port), ...args], {
      encoding: 'utf8', env: { ...process.env, REDISCLI_AUTH: PASSWORD }, timeout: CLIENT_TIMEOUT_MS,
    });
    return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  };
  const nodeEnv = (name: string, port: number) => ({
    SELF_HOST: '127.0.0.1',
    REDIS_PORT: String(port),
    REDIS_NODES: ports.map(p => `127.0.0.1:${p}`).join(' '),
    SENTINELS: `127.0.0.1:${sentinelPort}`,
    REDIS_PASSWORD: PASSWORD,
    [TLS_CA_ENV]: ca,
    CONFIG_DIR: sandbox.subdir(`${name}/config`),
    RUN_DIR: sandbox.subdir(`${name}/run`),
    DATA_DIR: sandbox.subdir(`${name}/data`),
    [ACL_USERS_ENV]: renderAclUserLines([orders], false),
    [aclPasswordEnv('orders')]: 'orders-password-0123456789',
  });
  const startRedis = (i: number) => {
    const env = nodeEnv(`redis-${i}`, ports[i]);
    writeFile(env.CONFIG_DIR, 'redis.conf', renderRedisConf(spec, { port: ports[i], dataDir: env.DATA_DIR, bind: '127.0.0.1', tlsDir }));
    sandbox.start(`redis-${i}`, 'sh', [writeFile(env.CONFIG_DIR, 'start.sh', renderRedisStartScript(spec))], env);
  };
  const replication = (port: number) => infoFields(cli(port, ['INFO', 'replication']));
  const logs = () => ['redis-0', 'redis-1', 'sentinel', 'haproxy'].map(n => `--- ${n}\n${sandbox.log(n).slice(-1500)}`).join('\n');

  beforeAll(async () => {
    generateCertificates(tlsDir);
    ports.push(await freePort(), await freePort());
    sentinelPort = await freePort();
    proxyPort = await freePort();
    startRedis(0);
    await waitFor('the primary', 15_000, () => replication(ports[0]).role === 'master' || undefined, logs);
    startRedis(1);
  }, 120_000); // above the sum of the waits inside (certificates, the primary), so a slow start fails with the wait's message
  afterAll(() => sandbox.stop());

  test('the replica syncs with the primary over TLS', async () => {
    const info = await waitFor('the replica to sync', 20_000, () => {
      const r = replication(ports[1]);
      return r.role === 'slave' && r.master_link_status === 'up' ? r : undefined;
    }, logs);
    expect(info.master_port).toBe(String(ports[0]));
    expect(cli(ports[0], ['SET', 'k', 'v'])).toBe('OK');
    await waitFor('the write on the replica', 10_000, () => cli(ports[1], ['GET', 'k']) === 'v' || undefined);
  });

  /** A verifying TLS client (Node's, as most drivers): the handshake's outcome. */
  const handshake = (port: number, caFile?: string) => new Promise<string>(resolve => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: caFile ? fs.readFileSync(caFile) : undefined }, () => {
      socket.end();
      resolve('verified');
    });
    socket.on('error', e => resolve((e as NodeJS.ErrnoException).code ?? e.message));
  });

  test('a client with the CA connects; without it, with another CA, or in plain text it does not', async () => {
    expect(await handshake(ports[0], ca)).toBe('verified');
    expect(cli(ports[0], ['PING'])).toBe('PONG');
    expect(await handshake(ports[0])).toMatch(/CERT|SIGNED|ISSUER/);
    expect(await handshake(ports[0], path.join(tlsDir, 'other-ca.crt'))).toMatch(/CERT|SIGNED|ISSUER/);
    expect(cli(ports[0], ['PING'], path.join(tlsDir, 'other-ca.crt'))).toMatch(/certificate verify failed/i);
    expect(plain(ports[0], ['PING'])).not.toContain('PONG');
  });

  test('a connected service\'s ACL user logs in over TLS', () => {
    expect(cli(ports[0], ['SET', 'orders:1', 'x'], ca, ['--user', 'orders', '--pass', 'orders-password-0123456789'])).toBe('OK');
  });

  test('the Sentinel reaches the nodes and is reached over TLS', async () => {
    const env = { ...nodeEnv('sentinel', 0), SENTINEL_PORT: String(sentinelPort) };
    writeFile(env.CONFIG_DIR, 'sentinel.conf', renderSentinelConf(spec, { port: sentinelPort, dir: env.RUN_DIR, tlsDir }));
    writeFile(env.CONFIG_DIR, 'sentinel-primary.conf', renderSentinelPrimaryOptions(spec));
    sandbox.start('sentinel', 'sh', [writeFile(env.CONFIG_DIR, 'start.sh', renderSentinelStartScript(spec))], env);
    await waitFor('the Sentinel to see the primary and its replica', 20_000, () => {
      const master = cli(sentinelPort, ['SENTINEL', 'master', spec.name]).split('\n');
      const field = (name: string) => master[master.indexOf(name) + 1];
      return field('flags') === 'master' && field('num-slaves') === '1' ? true : undefined;
    }, logs);
    expect(cli(sentinelPort, ['SENTINEL', 'get-master-addr-by-name', spec.name]).split('\n')).toEqual(['127.0.0.1', String(ports[0])]);
    expect(plain(sentinelPort, ['PING'])).not.toContain('PONG');
  });

  test('HAProxy checks the nodes over TLS and passes client TLS through to the primary', async () => {
    const healthPort = await freePort();
    const dir = sandbox.subdir('haproxy');
    const servers = [1, 0].map(i => ({ name: `${spec.name}-${i}`, address: `127.0.0.1:${ports[i]}` }));
    const config = renderHaproxyConfig(spec, servers, {
      port: proxyPort, healthPort, dnsResolution: false, bindAddress: '127.0.0.1', caFile: ca, gateScript: writeFile(dir, 'gate.lua', renderProxyGateScript(spec)),
    });
    expect(config).toContain(`verify required ca-file ${ca}`);
    sandbox.start('haproxy', 'haproxy', ['-db', '-f', writeFile(dir, 'haproxy.cfg', config)], { REDIS_PASSWORD: PASSWORD });
    // The replica is listed first: only a check that passed over TLS makes the primary the target.
    await waitFor('the proxy to route to the primary', 20_000, () => replication(proxyPort).role === 'master' || undefined, logs);
    expect(cli(proxyPort, ['SET', 'through-proxy', '1'])).toBe('OK');
    expect(cli(proxyPort, ['PING'], path.join(tlsDir, 'other-ca.crt'))).not.toContain('PONG');
  });

  test('cluster mode: the setup script creates the cluster over TLS, and the cluster bus is TLS', async () => {
    const cluster = resolveCacheClusterSpec('catalog', { mode: CacheClusterMode.CLUSTER, shards: 3, replicas: 0 }, PlatformTarget.KUBERNETES);
    const nodes: number[] = [];
    for (let i = 0; i < 3; i++) nodes.push(await freePort(CLUSTER_BUS_OFFSET));
    nodes.forEach((port, i) => {
      const env = { ...nodeEnv(`cluster-${i}`, port), REDIS_NODES: nodes.map(p => `127.0.0.1:${p}`).join(' '), SENTINELS: '' };
      writeFile(env.CONFIG_DIR, 'redis.conf', renderRedisConf(cluster, { port, dataDir: env.DATA_DIR, bind: '127.0.0.1', tlsDir }));
      sandbox.start(`cluster-${i}`, 'sh', [writeFile(env.CONFIG_DIR, 'start.sh', renderRedisStartScript(cluster))], env);
    });
    for (const port of nodes) await waitFor('a cluster node', 15_000, () => cli(port, ['PING']) === 'PONG' || undefined, () => sandbox.log('cluster-0'));
    const setup = spawnSync('sh', [writeFile(sandbox.dir, 'setup.sh', renderClusterSetupScript(cluster))], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, REDIS_NODES: nodes.map(p => `127.0.0.1:${p}`).join(' '), REPLICAS_PER_SHARD: '0', REDISCLI_AUTH: PASSWORD, WAIT_SECONDS: '30', [TLS_CA_ENV]: ca },
    });
    expect({ status: setup.status, output: setup.status === 0 ? '' : setup.stdout + setup.stderr }).toEqual({ status: 0, output: '' });
    // Gossip over the TLS bus makes every node agree on the slots.
    await waitFor('cluster_state:ok everywhere', 20_000, () => nodes.every(p => infoFields(cli(p, ['CLUSTER', 'INFO'])).cluster_state === 'ok') || undefined);
    expect(cli(nodes[0], ['SET', 'orders:{a}', '1'], ca, ['-c', '--user', 'orders', '--pass', 'orders-password-0123456789'])).toBe('OK');
    expect(cli(nodes[0], ['CONFIG', 'GET', 'tls-cluster'])).toContain('yes');
  }, 180_000); // the nodes' waits, the setup script's own 60 s bound and the gossip wait

  test('checks against a node with a certificate from another CA fail: the proxy routes nowhere', async () => {
    const port = await freePort();
    const healthPort = await freePort();
    const dir = sandbox.subdir('haproxy-other');
    const config = renderHaproxyConfig(spec, [{ name: 'n0', address: `127.0.0.1:${ports[0]}` }], {
      port, healthPort, dnsResolution: false, bindAddress: '127.0.0.1', caFile: path.join(tlsDir, 'other-ca.crt'), gateScript: writeFile(dir, 'gate.lua', renderProxyGateScript(spec)),
    });
    sandbox.start('haproxy-other', 'haproxy', ['-db', '-f', writeFile(dir, 'haproxy.cfg', config)], { REDIS_PASSWORD: PASSWORD });
    await waitFor('the check to fail', 10_000, () => /SSL handshake failure|certificate/i.test(sandbox.log('haproxy-other')) || undefined, () => sandbox.log('haproxy-other'));
    const status = await new Promise<number>((resolve, reject) =>
      http.get(`http://127.0.0.1:${healthPort}/ready`, res => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject));
    expect(status).toBe(503);
  });

  test('a failover over TLS: the Sentinel promotes the replica, the proxy follows, the service\'s user writes', async () => {
    await sandbox.kill('redis-0');
    await waitFor('the replica promoted', 30_000, () => replication(ports[1]).role === 'master' || undefined, logs);
    await waitFor('the proxy to route to the new primary', 15_000, () => replication(proxyPort).role === 'master' || undefined, logs);
    expect(cli(proxyPort, ['SET', 'orders:after-failover', '1'], ca, ['--user', 'orders', '--pass', 'orders-password-0123456789'])).toBe('OK');
    expect(cli(ports[1], ['GET', 'orders:after-failover'])).toBe('1');
  }, 120_000);
});
