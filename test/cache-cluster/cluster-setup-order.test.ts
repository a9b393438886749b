import { spawnSync } from 'child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderClusterSetupScript } from '../../src/cache-cluster/cluster-setup-script';
import { CacheClusterMode } from '../../src/cache-cluster/engine';
import { resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import { PlatformTarget } from '../../src/platform/target';

/*
 * The order of the setup script's steps, against a scripted redis-cli (fixtures/fake-redis-cli.sh),
 * so a race that real redis-server shows only now and then is shown every time: a primary started
 * moments before the Job reports cluster_state:fail for a while (Redis keeps a new primary down
 * until it has seen the whole cluster), and a rebalance that migrates slots onto it meanwhile fails
 * with CLUSTERDOWN.
 */
describe('cluster setup script: grows only a cluster every node sees as up', () => {
  const ports = [7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007];
  // Three shards with slots and replicas, and a fourth shard (7006 + replica 7007) that has joined but owns no slot.
  const nodes = [
    'a7000 127.0.0.1:7000@17000 master - 0 0 1 connected 0-5460',
    'a7001 127.0.0.1:7001@17001 slave a7000 0 0 1 connected',
    'a7002 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922',
    'a7003 127.0.0.1:7003@17003 slave a7002 0 0 2 connected',
    'a7004 127.0.0.1:7004@17004 master - 0 0 3 connected 10923-16383',
    'a7005 127.0.0.1:7005@17005 slave a7004 0 0 3 connected',
    'a7006 127.0.0.1:7006@17006 master - 0 0 4 connected',
    'a7007 127.0.0.1:7007@17007 slave a7006 0 0 4 connected',
  ];
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cluster-setup-'));
    copyFileSync(join(__dirname, 'fixtures', 'fake-redis-cli.sh'), join(dir, 'redis-cli'));
    writeFileSync(join(dir, 'nodes'), nodes.join('\n') + '\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the generated script against the scripted cluster; `log` lists every redis-cli call in order. */
  const run = (waitSeconds = 30) => {
    const spec = resolveCacheClusterSpec('catalog-cache', { mode: CacheClusterMode.CLUSTER, shards: 4, replicas: 1, kubernetes: { tls: false } }, PlatformTarget.KUBERNETES);
    const script = join(dir, 'setup.sh');
    writeFileSync(script, renderClusterSetupScript(spec));
    chmodSync(join(dir, 'redis-cli'), 0o755);
    const result = spawnSync('sh', [script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        FAKE_DIR: dir,
        REDIS_NODES: ports.map(p => `127.0.0.1:${p}`).join(' '),
        REDISCLI_AUTH: 'order-test-password',
        WAIT_SECONDS: String(waitSeconds),
      },
    });
    const log = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr, log };
  };

  test('waits for a just-started primary to report cluster_state:ok before moving slots onto it', () => {
    writeFileSync(join(dir, 'down-7006'), '3');
    const { status, output, log } = run();
    expect(output).not.toContain('CLUSTERDOWN');
    expect(status).toBe(0);
    const rebalance = log.indexOf('cluster-rebalance 7000');
    expect(rebalance).toBeGreaterThan(0);
    // The new primary was asked until it answered ok (3 answers of fail, then ok), all before the rebalance.
    const infoBefore = log.slice(0, rebalance).filter(l => l === 'CLUSTER INFO 7006');
    expect(infoBefore.length).toBeGreaterThanOrEqual(4);
    expect(readFileSync(join(dir, 'down-7006'), 'utf8').trim()).toBe('0');
  });

  test('waits until every primary knows the new node before moving slots onto it', () => {
    // 7002 has not heard of 7007 through gossip yet: a rebalance's SETSLOT … NODE would fail there.
    writeFileSync(join(dir, 'unaware-7002'), '3');
    const { status, output, log } = run();
    expect(output).not.toContain("I don't know about node");
    expect(status).toBe(0);
    const rebalance = log.indexOf('cluster-rebalance 7000');
    expect(rebalance).toBeGreaterThan(0);
    expect(log.slice(0, rebalance).filter(l => l === 'CLUSTER NODES 7002').length).toBeGreaterThanOrEqual(4);
    expect(readFileSync(join(dir, 'unaware-7002'), 'utf8').trim()).toBe('0');
  });

  test('rebalances at once when every node is up', () => {
    const { status, log } = run();
    expect(status).toBe(0);
    expect(log.filter(l => l.startsWith('cluster-rebalance'))).toEqual(['cluster-rebalance 7000']);
  });

  test('gives up with the reason, not a CLUSTERDOWN, when a node never comes up', () => {
    writeFileSync(join(dir, 'down-7006'), '1000');
    const { status, stderr, log } = run(2);
    expect(status).toBe(1);
    expect(stderr).toMatch(/timed out: cluster_up/);
    expect(log.some(l => l.startsWith('cluster-rebalance'))).toBe(false);
  });
});
