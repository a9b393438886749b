import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLIENT_TIMEOUT_MS, EngineSandbox, freePort, infoFields, redisCli, waitFor, writeFile } from './engine-harness';
import { CacheAccess, CacheUserSpec, resolveCacheUser } from '../../src/cache-cluster/access';
import { ACL_FILE, ACL_USERS_ENV, aclPasswordEnv, renderAclUserLines } from '../../src/cache-cluster/acl-users';
import { CacheClusterMode } from '../../src/cache-cluster/engine';
import { CLUSTER_BUS_OFFSET, renderRedisConf } from '../../src/cache-cluster/redis-config';
import { resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import { renderRedisStartScript } from '../../src/cache-cluster/start-scripts';
import { PlatformTarget } from '../../src/platform/target';
import { requireTool } from '../conformance/tools';

/*
 * The ACL users of connected services under real redis-server: nodes started by the generated start
 * script with the users in their environment, exactly as on Kubernetes. A primary and a replica in
 * replication mode (the replica syncs as the default user, then is promoted as after a failover),
 * and a cluster-mode node.
 */
const describeEngines = requireTool('redis-server', 'apt-get install redis-server') ? describe : describe.skip;

const PASSWORD = 'engine-test-Password-789';
const USERS: CacheUserSpec[] = [
  resolveCacheUser('orders'),
  resolveCacheUser('billing', { keyPrefix: '{billing}:' }),
  resolveCacheUser('audit', { keyPrefix: 'orders:', access: CacheAccess.READ_ONLY }),
];
const passwordOf = (user: string) => `pw-${user}-0123456789abcdef`;

/** One redis-cli call as `user`; returns stdout and stderr (errors such as NOPERM). */
function asUser(port: number, user: string, args: string[], password = passwordOf(user)): string {
  const run = spawnSync('redis-cli', ['--no-auth-warning', '-h', '127.0.0.1', '-p', String(port), '--user', user, ...args], {
    encoding: 'utf8', env: { ...process.env, REDISCLI_AUTH: password }, timeout: CLIENT_TIMEOUT_MS,
  });
  return `${run.stdout ?? ''}${run.stderr ?? ''}`.replace(/\r/g, '').trim();
}

/** Commands a service must never run, whatever its level, and why. */
const FORBIDDEN: [string[], string][] = [
  [['CONFIG', 'GET', 'maxmemory'], 'would read or change the server configuration'],
  [['CONFIG', 'SET', 'maxmemory', '1'], 'would read or change the server configuration'],
  [['FLUSHALL'], 'deletes every service\'s keys'],
  [['FLUSHDB'], 'deletes every service\'s keys'],
  [['ACL', 'LIST'], 'shows every user'],
  [['ACL', 'SETUSER', 'orders', '~*'], 'widens its own rights'],
  [['KEYS', '*'], 'lists every service\'s key names'],
  [['SCAN', '0'], 'lists every service\'s key names (no key pattern limits it)'],
  [['RANDOMKEY'], 'shows another service\'s key name'],
  [['DBSIZE'], 'counts every service\'s keys'],
  [['INFO'], 'shows clients, replication and configuration'],
  [['CLIENT', 'LIST'], 'shows every connection'],
  [['SWAPDB', '0', '1'], 'swaps every service\'s keys'],
  [['CLIENT', 'KILL', 'TYPE', 'normal'], 'cuts other services\' connections'],
  [['BGSAVE'], 'forks the node'],
  [['FUNCTION', 'FLUSH'], 'removes every service\'s functions'],
  [['SHUTDOWN'], 'would stop the node'],
  [['PUBLISH', 'orders:events', 'x'], 'would publish: Pub/Sub is not granted'],
];

describeEngines('ACL users of connected services on real redis-server', () => {
  const sandbox = new EngineSandbox();
  const ports: number[] = [];
  let clusterPort = 0;

  const startNode = (name: string, mode: CacheClusterMode, port: number, nodes: number[], overrides: Record<string, string> = {}) => {
    const spec = resolveCacheClusterSpec('orders-cache', { mode, replicas: 1, kubernetes: { tls: false } }, PlatformTarget.KUBERNETES);
    const dir = sandbox.subdir(name);
    const env: Record<string, string> = {
      SELF_HOST: '127.0.0.1',
      REDIS_PORT: String(port),
      REDIS_NODES: nodes.map(p => `127.0.0.1:${p}`).join(' '),
      SENTINELS: '',
      REDIS_PASSWORD: PASSWORD,
      CONFIG_DIR: dir,
      RUN_DIR: sandbox.subdir(`${name}/run`),
      DATA_DIR: sandbox.subdir(`${name}/data`),
      [ACL_USERS_ENV]: renderAclUserLines(USERS, mode === CacheClusterMode.CLUSTER),
      ...Object.fromEntries(USERS.map(u => [aclPasswordEnv(u.userName), passwordOf(u.userName)])),
      ...overrides,
    };
    writeFile(dir, 'redis.conf', renderRedisConf(spec, { port, dataDir: env.DATA_DIR, bind: '127.0.0.1' }));
    sandbox.start(name, 'sh', [writeFile(dir, 'start.sh', renderRedisStartScript(spec))], env);
    return env;
  };
  const up = (port: number, name: string) => waitFor(`${name} to answer`, 20_000,
    () => redisCli(port, PASSWORD, ['PING']).trim() === 'PONG' ? true : undefined, () => sandbox.log(name));

  beforeAll(async () => {
    ports.push(await freePort(), await freePort());
    clusterPort = await freePort(CLUSTER_BUS_OFFSET);
    startNode('primary', CacheClusterMode.REPLICATION, ports[0], ports);
    await up(ports[0], 'primary');
    // The replica finds the primary (a node already answering role:master) and replicates from it.
    startNode('replica', CacheClusterMode.REPLICATION, ports[1], ports);
    startNode('cluster', CacheClusterMode.CLUSTER, clusterPort, [clusterPort]);
    await up(ports[1], 'replica');
    await up(clusterPort, 'cluster');
    redisCli(clusterPort, PASSWORD, ['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']);
  }, 120_000); // above the sum of the waits inside, so a slow start fails with the wait's message
  afterAll(() => sandbox.stop());

  test('the ACL file holds password hashes, never a password', () => {
    const acl = fs.readFileSync(path.join(sandbox.dir, 'primary/run', ACL_FILE), 'utf8');
    expect(acl.split('\n').filter(Boolean)).toHaveLength(1 + USERS.length);
    for (const secret of [PASSWORD, ...USERS.map(u => passwordOf(u.userName))]) expect(acl).not.toContain(secret);
    expect(acl).toMatch(/^user orders on ~orders:\* resetchannels .* #[0-9a-f]{64}$/m);
  });

  test('a service reads and writes its own prefix', () => {
    expect(asUser(ports[0], 'orders', ['SET', 'orders:1', 'paid'])).toBe('OK');
    expect(asUser(ports[0], 'orders', ['GET', 'orders:1'])).toBe('paid');
    expect(asUser(ports[0], 'orders', ['MULTI'])).toBe('OK');
    expect(asUser(ports[0], 'orders', ['EVAL', 'return redis.call("INCR", KEYS[1])', '1', 'orders:n'])).toBe('1');
    expect(asUser(ports[0], 'billing', ['HSET', '{billing}:inv', 'total', '3'])).toBe('1');
  });

  test('it cannot touch another service\'s prefix, not even from a script', () => {
    asUser(ports[0], 'billing', ['SET', '{billing}:secret', 'x']);
    expect(asUser(ports[0], 'orders', ['GET', '{billing}:secret'])).toMatch(/NOPERM/);
    expect(asUser(ports[0], 'orders', ['SET', 'billing:1', 'x'])).toMatch(/NOPERM/);
    expect(asUser(ports[0], 'orders', ['EVAL', 'return redis.call("GET", "{billing}:secret")', '0'])).toMatch(/can't access at least one of the keys/);
    expect(asUser(ports[0], 'billing', ['GET', 'orders:1'])).toMatch(/NOPERM/);
  });

  test.each(FORBIDDEN)('no service may run %j: it %s', (args) => {
    for (const user of ['orders', 'audit']) expect(asUser(ports[0], user, args)).toMatch(/NOPERM/);
  });

  test('read-only: reads the prefix it shares, writes nothing', () => {
    expect(asUser(ports[0], 'audit', ['GET', 'orders:1'])).toBe('paid');
    expect(asUser(ports[0], 'audit', ['SET', 'orders:1', 'refunded'])).toMatch(/NOPERM/);
    expect(asUser(ports[0], 'audit', ['DEL', 'orders:1'])).toMatch(/NOPERM/);
    expect(asUser(ports[0], 'audit', ['EVAL', 'return 1', '0'])).toMatch(/NOPERM/);
  });

  test('a wrong password is refused; the default user keeps the AUTH password for the platform', () => {
    expect(asUser(ports[0], 'orders', ['PING'], 'wrong-password-0123456789')).toMatch(/WRONGPASS/);
    expect(redisCli(ports[0], PASSWORD, ['CONFIG', 'GET', 'maxmemory'])).toContain('maxmemory');
    expect(redisCli(ports[0], PASSWORD, ['ACL', 'WHOAMI']).trim()).toBe('default');
  });

  test('the replica syncs as the default user, serves the users, and keeps them when promoted', async () => {
    await waitFor('the replica to sync', 20_000, () => {
      const f = infoFields(redisCli(ports[1], PASSWORD, ['INFO', 'replication']));
      return f.role === 'slave' && f.master_link_status === 'up' ? true : undefined;
    }, () => sandbox.log('replica'));
    await waitFor('orders:1 on the replica', 10_000, () => asUser(ports[1], 'orders', ['GET', 'orders:1']) === 'paid' ? true : undefined);
    expect(asUser(ports[1], 'orders', ['GET', '{billing}:secret'])).toMatch(/NOPERM/);
    // A failover promotes the replica: the users are already there.
    redisCli(ports[1], PASSWORD, ['REPLICAOF', 'NO', 'ONE']);
    expect(asUser(ports[1], 'orders', ['SET', 'orders:2', 'after-failover'])).toBe('OK');
    expect(asUser(ports[1], 'orders', ['FLUSHALL'])).toMatch(/NOPERM/);
  });

  test('cluster mode: the users exist on the node, discover slots, see no other keys', () => {
    expect(asUser(clusterPort, 'orders', ['SET', 'orders:1', 'x'])).toBe('OK');
    expect(asUser(clusterPort, 'orders', ['CLUSTER', 'SLOTS'])).toContain(String(clusterPort));
    expect(asUser(clusterPort, 'orders', ['CLUSTER', 'SHARDS'])).toContain('slots');
    expect(asUser(clusterPort, 'orders', ['CLUSTER', 'GETKEYSINSLOT', '0', '10'])).toMatch(/NOPERM/);
    expect(asUser(clusterPort, 'orders', ['CLUSTER', 'FAILOVER'])).toMatch(/NOPERM/);
    expect(asUser(clusterPort, 'orders', ['READONLY'])).toBe('OK');
  });

  test('a node whose user has no password does not start', async () => {
    const port = await freePort();
    startNode('no-password', CacheClusterMode.REPLICATION, port, [port], { [aclPasswordEnv('billing')]: '' });
    await waitFor('the node to exit', 30_000, () => sandbox.finished('no-password') || undefined, () => sandbox.log('no-password'));
    expect(sandbox.log('no-password')).toContain('REDIS_ACL_PASSWORD_BILLING is empty or not set');
    expect(redisCli(port, PASSWORD, ['PING'])).toBe('');
  });
});
