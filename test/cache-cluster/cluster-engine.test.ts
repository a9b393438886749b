import { spawnSync } from 'child_process';
import { Duration } from 'aws-cdk-lib';
import { EngineSandbox, freePort, infoFields, redisCli, waitFor, writeFile } from './engine-harness';
import { renderClusterSetupScript } from '../../src/cache-cluster/cluster-setup-script';
import { CacheClusterMode } from '../../src/cache-cluster/engine';
import { CLUSTER_BUS_OFFSET, renderRedisConf } from '../../src/cache-cluster/redis-config';
import { resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import { renderRedisStartScript } from '../../src/cache-cluster/start-scripts';
import { PlatformTarget } from '../../src/platform/target';
import { requireTool } from '../conformance/tools';

/*
 * Cluster mode under real redis-server on loopback: nodes started by the generated start script,
 * the cluster created by the generated setup script (3 shards × 1 replica), then grown to 4 shards
 * by the same script, which joins the new nodes and rebalances the slots.
 */
const describeEngines = requireTool('redis-server', 'apt-get install redis-server') ? describe : describe.skip;

const PASSWORD = 'engine-test-Password-456';
const SLOTS = 16384;

describeEngines('cluster mode on real redis-server', () => {
  const spec = (shards: number) => resolveCacheClusterSpec('catalog-cache', {
    mode: CacheClusterMode.CLUSTER, shards, replicas: 1, kubernetes: { failureDetection: Duration.seconds(2), tls: false },
  }, PlatformTarget.KUBERNETES);
  const sandbox = new EngineSandbox();
  const ports: number[] = [];
  const address = (p: number) => `127.0.0.1:${p}`;

  const startNode = (i: number) => {
    const dir = sandbox.subdir(`node-${i}`);
    const env = {
      SELF_HOST: '127.0.0.1',
      REDIS_PORT: String(ports[i]),
      REDIS_NODES: ports.map(address).join(' '),
      REDIS_PASSWORD: PASSWORD,
      CONFIG_DIR: dir,
      RUN_DIR: sandbox.subdir(`node-${i}/run`),
      DATA_DIR: sandbox.subdir(`node-${i}/data`),
    };
    writeFile(dir, 'redis.conf', renderRedisConf(spec(3), { port: ports[i], dataDir: env.DATA_DIR, bind: '127.0.0.1' }));
    sandbox.start(`node-${i}`, 'sh', [writeFile(dir, 'start.sh', renderRedisStartScript(spec(3)))], env);
  };
  /** Runs the setup script to completion (bounded) and returns its output. */
  const setup = (shards: number) => {
    const script = writeFile(sandbox.dir, `setup-${shards}.sh`, renderClusterSetupScript(spec(shards)));
    const run = spawnSync('sh', [script], {
      encoding: 'utf8',
      // Bounded, but far above a rebalance on a loaded machine: a kill midway would leave slots half-moved.
      timeout: 300_000,
      env: { ...process.env, REDIS_NODES: ports.slice(0, shards * 2).map(address).join(' '), REDISCLI_AUTH: PASSWORD, WAIT_SECONDS: '120' },
    });
    if (run.status !== 0) throw new Error(`setup for ${shards} shards failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
    return run.stdout;
  };
  const clusterInfo = (p: number) => infoFields(redisCli(p, PASSWORD, ['CLUSTER', 'INFO']));
  /** Primaries: id → { port, slots owned, replica ports }. */
  const topology = (p: number) => {
    const lines = redisCli(p, PASSWORD, ['CLUSTER', 'NODES']).trim().split('\n').map(l => l.split(' '));
    const portOf = (addr: string) => Number(addr.split('@')[0].split(':')[1]);
    return lines.filter(f => f[2].includes('master')).map(f => ({
      port: portOf(f[1]),
      slots: f.slice(8).reduce((n, range) => {
        const [from, to] = range.split('-').map(Number);
        return n + (to === undefined ? 1 : to - from + 1);
      }, 0),
      replicas: lines.filter(r => r[3] === f[0]).map(r => portOf(r[1])),
    })).sort((a, b) => a.port - b.port);
  };

  beforeAll(async () => {
    for (let i = 0; i < 8; i++) ports.push(await freePort(CLUSTER_BUS_OFFSET));
  });
  afterAll(() => sandbox.stop());

  test('the setup script creates 3 shards × 1 replica covering all 16384 slots', async () => {
    for (let i = 0; i < 6; i++) startNode(i);
    const output = setup(3);
    expect(output).toContain('[OK] All 16384 slots covered.');
    const info = await waitFor('a healthy cluster', 15_000, () => {
      const i = clusterInfo(ports[0]);
      return i.cluster_state === 'ok' && i.cluster_size === '3' ? i : undefined;
    });
    expect(info.cluster_slots_assigned).toBe(String(SLOTS));
    expect(info.cluster_known_nodes).toBe('6');
    // Node 2k is shard k's primary and node 2k+1 its replica.
    const shards = topology(ports[0]);
    expect(shards.map(s => [s.port, s.replicas])).toEqual([0, 2, 4].map(i => [ports[i], [ports[i + 1]]]).sort((a, b) => +a[0] - +b[0]));
    expect(shards.reduce((n, s) => n + s.slots, 0)).toBe(SLOTS);

    // min-replicas-to-write holds writes until every shard's replica has acknowledged recently.
    const set = (k: number) => redisCli(ports[0], PASSWORD, ['-c', 'SET', `product:${k}`, String(k)]).trim();
    await waitFor('writes accepted on every shard', 15_000, () => [0, 1, 2, 3, 4, 5].every(k => set(k) === 'OK') || undefined);
    for (let k = 0; k < 300; k++) expect(set(k)).toBe('OK');
  }, 400_000);

  test('running the script again changes nothing', () => {
    const before = topology(ports[0]);
    expect(setup(3)).not.toContain('rebalancing');
    expect(topology(ports[0])).toEqual(before);
  }, 400_000);

  test('growing to 4 shards joins the new nodes and rebalances slots onto the new primary', async () => {
    startNode(6);
    startNode(7);
    const output = setup(4);
    expect(output).toContain('rebalancing slots onto 1 new primaries');
    const shards = await waitFor('4 shards that agree', 15_000, () => {
      const t = topology(ports[0]);
      return clusterInfo(ports[0]).cluster_state === 'ok' && t.length === 4 && t.every(s => s.slots > 0) ? t : undefined;
    });
    const added = shards.find(s => s.port === ports[6])!;
    console.info(`cluster: 3 → 4 shards; slots per primary ${shards.map(s => s.slots).join(', ')}; new primary ${added.slots} slots`);
    expect(added.replicas).toEqual([ports[7]]);
    expect(added.slots).toBeGreaterThan(SLOTS / 4 * 0.9);
    expect(shards.reduce((n, s) => n + s.slots, 0)).toBe(SLOTS);
    expect(clusterInfo(ports[0]).cluster_slots_assigned).toBe(String(SLOTS));
    for (let k = 0; k < 300; k += 7) expect(redisCli(ports[6], PASSWORD, ['-c', 'GET', `product:${k}`]).trim()).toBe(String(k));
  }, 400_000);
});
