import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { Duration } from 'aws-cdk-lib';
import { EngineSandbox, freePort, generateCertificates, infoFields, redisCli, waitFor, writeFile } from './engine-harness';
import { BACKUP_RECORD_KEY, renderRestoreScript, renderSnapshotScript } from '../../src/cache-cluster/backup-scripts';
import { renderClusterSetupScript } from '../../src/cache-cluster/cluster-setup-script';
import { CacheClusterMode } from '../../src/cache-cluster/engine';
import { CLUSTER_BUS_OFFSET, renderRedisConf } from '../../src/cache-cluster/redis-config';
import { CacheClusterSpec, resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import { renderRedisStartScript } from '../../src/cache-cluster/start-scripts';
import { TLS_CA_ENV } from '../../src/cache-cluster/tls';
import { PlatformTarget } from '../../src/platform/target';
import { requireTool } from '../conformance/tools';

/*
 * Backup and restore round trips under real redis-server and redis-cli on loopback: nodes started by
 * the generated start script with the generated redis.conf, snapshots taken by the generated backup
 * script into a directory (the volume target), restored by the generated restore script into a
 * fresh cache, and read back; in replication mode once in plain text and once with TLS only.
 */
const describeEngines = requireTool('redis-server', 'apt-get install redis-server') && requireTool('redis-cli', 'apt-get install redis-tools')
  && requireTool('openssl version', 'apt-get install openssl')
  ? describe : describe.skip;

const PASSWORD = 'engine-test-Password-789';
const address = (p: number) => `127.0.0.1:${p}`;
/** Key names that are data, not syntax: spaces, quotes, a newline, a glob. */
const ODD_KEY = 'user "42"\'s\nsession *';

/** Runs a generated script with sh and the test's environment; fails the test with its output. */
function runScript(sandbox: EngineSandbox, name: string, text: string, env: Record<string, string>): string {
  const run = spawnSync('sh', [writeFile(sandbox.dir, name, text)], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, TMPDIR: sandbox.subdir(`${name}-tmp`), ...env },
  });
  if (run.status !== 0) throw new Error(`${name} exited ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout + run.stderr;
}

/** The environment that makes the scripts use TLS with `tlsDir`'s CA; none without TLS. */
const tlsEnv = (tlsDir?: string): Record<string, string> => (tlsDir ? { [TLS_CA_ENV]: `${tlsDir}/ca.crt` } : {});

/** Starts node `i` of `ports` with the generated start script and redis.conf (TLS only with `tlsDir`). */
function startNode(sandbox: EngineSandbox, spec: CacheClusterSpec, group: string, ports: number[], i: number, tlsDir?: string): void {
  const dir = sandbox.subdir(`${group}-${i}`);
  const env = {
    SELF_HOST: '127.0.0.1',
    REDIS_PORT: String(ports[i]),
    REDIS_NODES: ports.map(address).join(' '),
    SENTINELS: '',
    REDIS_PASSWORD: PASSWORD,
    CONFIG_DIR: dir,
    RUN_DIR: sandbox.subdir(`${group}-${i}/run`),
    DATA_DIR: sandbox.subdir(`${group}-${i}/data`),
    ...tlsEnv(tlsDir),
  };
  writeFile(dir, 'redis.conf', renderRedisConf(spec, { port: ports[i], dataDir: env.DATA_DIR, bind: '127.0.0.1', tlsDir }));
  sandbox.start(`${group}-${i}`, 'sh', [writeFile(dir, 'start.sh', renderRedisStartScript(spec))], env);
}

type Cli = (port: number, ...args: string[]) => string;
/** A client of the test's nodes: TLS with `tlsDir`'s CA, else plain text. */
const clientOf = (tlsDir?: string): Cli => (port, ...args) =>
  redisCli(port, PASSWORD, [...(tlsDir ? ['--tls', '--cacert', `${tlsDir}/ca.crt`] : []), '-c', ...args]).trim();
const plainCli = clientOf();

/** Writes strings, a hash and keys with a time to live through `port`. */
function writeData(port: number, cli: Cli = plainCli): void {
  for (let i = 0; i < 50; i++) cli(port, 'SET', `string:${i}`, `value-${i}`);
  cli(port, 'HSET', 'hash:profile', 'name', 'Ada', 'city', 'London');
  cli(port, 'SET', 'expiring', 'soon', 'EX', '3600');
  cli(port, 'SET', ODD_KEY, 'odd');
}

/** What a client reads back: every value, and the times to live. */
function readData(port: number, cli: Cli) {
  return {
    strings: Array.from({ length: 50 }, (_, i) => cli(port, 'GET', `string:${i}`)),
    hash: cli(port, 'HGETALL', 'hash:profile').split('\n'),
    expiring: cli(port, 'GET', 'expiring'),
    ttl: Number(cli(port, 'TTL', 'expiring')),
    odd: cli(port, 'GET', ODD_KEY),
    persistent: Number(cli(port, 'TTL', 'string:0')),
  };
}

function expectRestored(port: number, cli: Cli = plainCli): void {
  const data = readData(port, cli);
  expect(data.strings).toEqual(Array.from({ length: 50 }, (_, i) => `value-${i}`));
  expect(data.hash).toEqual(['name', 'Ada', 'city', 'London']);
  expect(data.expiring).toBe('soon');
  // The time to live travels with the key: still set, never longer than it was.
  expect(data.ttl).toBeGreaterThan(3500);
  expect(data.ttl).toBeLessThanOrEqual(3600);
  expect(data.persistent).toBe(-1);
  expect(data.odd).toBe('odd');
}

describeEngines.each([
  ['in plain text', false],
  ['with TLS only', true],
])('backup and restore, replication mode, %s, on real redis-server', (_, tls) => {
  const spec = resolveCacheClusterSpec('orders-cache', { replicas: 1, automaticFailover: false, kubernetes: { tls } }, PlatformTarget.KUBERNETES);
  const sandbox = new EngineSandbox();
  const tlsDir = tls ? sandbox.subdir('tls') : undefined;
  const cli = clientOf(tlsDir);
  const source: number[] = [];
  const fresh: number[] = [];
  beforeAll(() => { if (tlsDir) generateCertificates(tlsDir); });
  afterAll(() => sandbox.stop());

  test('a snapshot of the replica, restored into a fresh cache, reads back equal; a second restore does nothing', async () => {
    for (let i = 0; i < 2; i++) source.push(await freePort());
    fresh.push(await freePort(), await freePort());
    startNode(sandbox, spec, 'source', source, 0, tlsDir);
    await waitFor('the primary', 10_000, () => cli(source[0], 'PING') === 'PONG' || undefined, () => sandbox.log('source-0'));
    startNode(sandbox, spec, 'source', source, 1, tlsDir);
    await waitFor('the replica in sync', 15_000,
      () => infoFields(cli(source[1], 'INFO', 'replication')).master_link_status === 'up' || undefined, () => sandbox.log('source-1'));
    writeData(source[0], cli);
    await waitFor('the replica caught up', 10_000, () => cli(source[1], 'GET', ODD_KEY) === 'odd' || undefined);

    const backups = sandbox.subdir('backups');
    const old = '20000101T000000Z.rdb';
    fs.writeFileSync(`${backups}/${old}`, 'REDIS0011 old');
    const env = { REDIS_NODES: source.map(address).join(' '), REDISCLI_AUTH: PASSWORD, BACKUP_DIR: backups, ...tlsEnv(tlsDir) };
    const output = runScript(sandbox, 'backup.sh', renderSnapshotScript(spec, { record: true, prune: true, retentionDays: 7, maxSnapshots: 0, maxAgeSeconds: 93600 }), env);
    // From the replica, so the primary does not fork for it.
    expect(output).toContain(`snapshot of ${address(source[1])} into`);
    expect(output).toContain(`deleted expired snapshot ${old.slice(0, 16)}`);
    const files = fs.readdirSync(backups);
    expect(files).toEqual([expect.stringMatching(/^\d{8}T\d{6}Z\.rdb$/)]);
    // Recorded on the primary, with the maximum age as its time to live (what the alert reads).
    expect(cli(source[0], 'TTL', BACKUP_RECORD_KEY)).toMatch(/^9\d{4}$/);

    const restore = renderRestoreScript(spec, files, 'test-1');
    startNode(sandbox, spec, 'fresh', fresh, 0, tlsDir);
    await waitFor('the fresh primary', 10_000, () => cli(fresh[0], 'PING') === 'PONG' || undefined);
    cli(fresh[0], 'SET', 'string:0', 'newer');
    cli(fresh[0], 'SET', 'only-here', 'kept');
    const restoreEnv = {
      REDIS_NODES: fresh.slice(0, 1).map(address).join(' '), REDISCLI_AUTH: PASSWORD, RESTORE_DIR: backups, RESTORE_PORT: String(fresh[1]), ...tlsEnv(tlsDir),
    };
    expect(runScript(sandbox, 'restore.sh', restore, restoreEnv)).toContain('restore finished');
    expectRestored(fresh[0], cli);
    // Keys only the cache had stay; keys in both take the backup's value.
    expect(cli(fresh[0], 'GET', 'only-here')).toBe('kept');

    cli(fresh[0], 'SET', 'string:1', 'written after the restore');
    expect(runScript(sandbox, 'restore-again.sh', restore, restoreEnv)).toContain('already restored');
    expect(cli(fresh[0], 'GET', 'string:1')).toBe('written after the restore');
  });

  test('the restore refuses a file that is not an RDB snapshot', () => {
    const dir = sandbox.subdir('bad');
    fs.writeFileSync(`${dir}/20260101T000000Z.rdb`, 'not a snapshot');
    const run = spawnSync('sh', [writeFile(sandbox.dir, 'bad.sh', renderRestoreScript(spec, ['20260101T000000Z.rdb'], 'test-2'))], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, REDIS_NODES: address(fresh[0]), REDISCLI_AUTH: PASSWORD, RESTORE_DIR: dir, TMPDIR: sandbox.subdir('bad-tmp'), ...tlsEnv(tlsDir) },
    });
    expect(run.status).toBe(66);
    expect(run.stderr).toContain('is missing or not an RDB file');
  });
});

describeEngines.each([
  ['in plain text', false],
  ['with TLS only', true],
])('backup and restore, cluster mode, %s, on real redis-server', (_, tls) => {
  const spec = resolveCacheClusterSpec('catalog-cache', {
    mode: CacheClusterMode.CLUSTER, shards: 3, replicas: 1, kubernetes: { failureDetection: Duration.seconds(2), tls },
  }, PlatformTarget.KUBERNETES);
  const sandbox = new EngineSandbox();
  const tlsDir = tls ? sandbox.subdir('tls') : undefined;
  const cli = clientOf(tlsDir);
  beforeAll(() => { if (tlsDir) generateCertificates(tlsDir); });
  afterAll(() => sandbox.stop());

  const cluster = async (group: string, count: number) => {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) ports.push(await freePort(CLUSTER_BUS_OFFSET));
    for (let i = 0; i < count; i++) startNode(sandbox, spec, group, ports, i, tlsDir);
    runScript(sandbox, `setup-${group}.sh`, renderClusterSetupScript(spec), {
      REDIS_NODES: ports.map(address).join(' '), REDISCLI_AUTH: PASSWORD, WAIT_SECONDS: '30', ...tlsEnv(tlsDir),
    });
    // Every node, not only the first: a node that has not yet heard the slots' owners answers
    // CLUSTERDOWN, and a write or a restore through it would be lost.
    await waitFor(`${group} cluster ok on every node`, 30_000,
      () => ports.every(p => infoFields(cli(p, 'CLUSTER', 'INFO')).cluster_state === 'ok') || undefined);
    return ports;
  };

  test('every shard is snapshotted from its replica; the files restore into a fresh cluster', async () => {
    const source = await cluster('source', 6);
    writeData(source[0], cli);
    // Every replica holds every write (its offset is its primary's): the snapshots are taken from them.
    await waitFor('replicas caught up', 30_000, () => source.map(p => infoFields(cli(p, 'INFO', 'replication')))
      .filter(r => r.role === 'master')
      .every(r => r.connected_slaves === '1' && new RegExp(`state=online,offset=${r.master_repl_offset},`).test(r.slave0 ?? '')) || undefined);
    const backups = sandbox.subdir('cluster-backups');
    const output = runScript(sandbox, 'cluster-backup.sh', renderSnapshotScript(spec, { record: true, prune: true, retentionDays: 7, maxSnapshots: 2, maxAgeSeconds: 93600 }), {
      REDIS_NODES: source.map(address).join(' '), REDISCLI_AUTH: PASSWORD, BACKUP_DIR: backups, ...tlsEnv(tlsDir),
    });
    const replicas = source.filter(p => infoFields(cli(p, 'INFO', 'replication')).role === 'slave').map(address);
    const from = [...output.matchAll(/snapshot of (\S+) into/g)].map(m => m[1]);
    expect(from).toHaveLength(3);
    expect(from.every(a => replicas.includes(a))).toBe(true);
    const files = fs.readdirSync(backups).sort();
    expect(files).toEqual([0, 1, 2].map(() => expect.stringMatching(/^\d{8}T\d{6}Z-slots-\d+-\d+\.rdb$/)));

    const fresh = await cluster('fresh', 6);
    const restorePort = await freePort();
    const out = runScript(sandbox, 'cluster-restore.sh', renderRestoreScript(spec, files, 'test-3'), {
      REDIS_NODES: fresh.map(address).join(' '), REDISCLI_AUTH: PASSWORD, RESTORE_DIR: backups, RESTORE_PORT: String(restorePort), ...tlsEnv(tlsDir),
    });
    expect(out).toContain('restore finished');
    expectRestored(fresh[0], cli);
    // Every key of every shard arrived: the source's keys but its backup record (set after the
    // snapshot), plus the restore's marker.
    const keys = (ports: number[]) => ports.reduce((n, p) => n + (infoFields(cli(p, 'INFO', 'replication')).role === 'master' ? Number(cli(p, 'DBSIZE')) : 0), 0);
    expect(keys(fresh)).toBe(keys(source) - 1 + 1);
    expect(cli(fresh[0], 'EXISTS', BACKUP_RECORD_KEY)).toBe('0');
  }, 300_000); // two clusters set up and a backup and a restore, each script bounded by runScript's 60 s
});
