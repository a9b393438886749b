import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fakeClusterFor, parseJavaScript, shellSyntax, topologyOf } from './support/scripts';
import { MongoShardKey } from '../../src/mongo-sharded-cluster';
import { BACKUP_FILES, backupLockScript, backupUnlockScript, dumpScript, uploadScript } from '../../src/mongo-sharded-cluster/mongo-backup';
import { documentDbShardingScript } from '../../src/mongo-sharded-cluster/mongo-sharding';
import { replicaSetsOf } from '../../src/mongo-sharded-cluster/topology';

const ROUTER_URI = 'mongodb://orders-db.shop.svc.cluster.local:27017/?authSource=admin&tls=true&tlsCAFile=/etc/mongodb/tls/ca.crt';
const BACKUP_ENV = { MONGO_BACKUP_USER: 'backup', MONGO_BACKUP_PASSWORD: 'backup-pw' };

/** A fake cluster with the backup user, and a runner for the lock/unlock scripts through mongos. */
function clusterWithBackupUser() {
  const { topology } = topologyOf(1, 3);
  const cluster = fakeClusterFor(topology);
  cluster.replicaSets.set(topology.configServers.name, { initiated: true, configsvr: true, members: topology.configServers.members, users: new Map([['backup', { pwd: 'backup-pw', roles: [] }]]) });
  const names = replicaSetsOf(topology).map(rs => rs.name);
  return { cluster, run: (script: string) => cluster.run(script, { kind: 'router' }, BACKUP_ENV, names) };
}

describe('backup lock and unlock (mongosh through mongos)', () => {
  test.each([true, false])('parse as JavaScript (blockWrites %s)', blockWrites => {
    expect(() => parseJavaScript(backupLockScript(blockWrites))).not.toThrow();
    expect(() => parseJavaScript(backupUnlockScript(blockWrites))).not.toThrow();
  });

  test('the documented procedure: stop the balancer, then fsyncLock through mongos; unlock, then restart it', () => {
    const { cluster, run } = clusterWithBackupUser();
    run(backupLockScript(true));
    expect(cluster.mutations).toEqual(['sh.stopBalancer', 'fsyncLock']);
    expect(cluster.balancerEnabled).toBe(false);
    run(backupUnlockScript(true));
    expect(cluster.mutations).toEqual(['sh.stopBalancer', 'fsyncLock', 'fsyncUnlock', 'sh.startBalancer']);
    expect(cluster.fsyncLocks).toBe(0);
    expect(cluster.balancerEnabled).toBe(true);
  });

  test('a balancer the operator stopped stays stopped', () => {
    const { cluster, run } = clusterWithBackupUser();
    cluster.balancerEnabled = false;
    run(backupLockScript(true));
    run(backupUnlockScript(true));
    expect(cluster.mutations).toEqual(['sh.stopBalancer', 'fsyncLock', 'fsyncUnlock']);
    expect(cluster.balancerEnabled).toBe(false);
  });

  test('unlock after a lock step that never ran changes nothing (and does not fail)', () => {
    const { cluster, run } = clusterWithBackupUser();
    run(backupUnlockScript(true));
    expect(cluster.mutations).toEqual([]);
    expect(cluster.output).toEqual(['writes were not locked', 'balancer left as it was before the backup']);
  });

  test('without backupBlocksWrites only the balancer stops, and the script says the dump is not a point in time', () => {
    const { cluster, run } = clusterWithBackupUser();
    run(backupLockScript(false));
    run(backupUnlockScript(false));
    expect(cluster.mutations).toEqual(['sh.stopBalancer', 'sh.startBalancer']);
    expect(cluster.output.join('\n')).toContain('the dump is not a point in time');
  });
});

describe('backup dump (sh with fake mongosh and mongodump on PATH)', () => {
  function runDump(options: { mongodump?: string; password?: string; timeoutMs?: number; prune?: boolean } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mongo-dump-'));
    const bin = path.join(dir, 'bin');
    const out = path.join(dir, 'backups');
    fs.mkdirSync(bin);
    fs.mkdirSync(out);
    const log = path.join(dir, 'calls');
    fs.writeFileSync(path.join(bin, 'mongosh'), `#!/bin/sh\necho "mongosh \${4##*/}" >> "${log}"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'mongodump'), `#!/bin/sh
echo "mongodump $*" >> "${log}"
for arg in "$@"; do case "$arg" in --config=*) cat "\${arg#--config=}" >> "${log}" ;; --archive=*) archive=\${arg#--archive=} ;; esac; done
${options.mongodump ?? 'echo dump > "$archive"'}
`, { mode: 0o755 });
    fs.writeFileSync(path.join(out, '20200101T000000Z.archive.gz'), 'old');
    fs.writeFileSync(path.join(out, '20200102T000000Z.archive.gz'), 'recent');
    spawnSync('touch', ['-d', '10 days ago', path.join(out, '20200101T000000Z.archive.gz')]);
    spawnSync('touch', ['-d', '2 days ago', path.join(out, '20200102T000000Z.archive.gz')]);
    const script = dumpScript({ clusterName: 'orders-db', routerUri: ROUTER_URI, scriptsDir: '/scripts', outputDir: out, pruneAfterDays: options.prune === false ? undefined : 7 });
    fs.writeFileSync(path.join(dir, 'backup.sh'), script);
    const run = spawnSync('sh', [path.join(dir, 'backup.sh')], {
      encoding: 'utf-8',
      timeout: options.timeoutMs ?? 30_000,
      killSignal: 'SIGTERM',
      env: { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: dir, MONGO_BACKUP_USER: 'backup', MONGO_BACKUP_PASSWORD: options.password ?? 'backup-pw' },
    });
    const result = { run, script, calls: fs.readFileSync(log, 'utf-8').trim().split('\n'), files: fs.readdirSync(out).sort() };
    fs.rmSync(dir, { recursive: true, force: true });
    return result;
  }

  test('is valid POSIX sh and bash', () => {
    for (const result of shellSyntax(dumpScript({ clusterName: 'c', routerUri: ROUTER_URI, scriptsDir: '/s', outputDir: '/b', pruneAfterDays: 7 }))) {
      expect(result).toEqual(expect.objectContaining({ status: 0, stderr: '' }));
    }
  });

  test('locks, dumps through mongos into a gzip archive, unlocks, prunes dumps past retention, then records the success', () => {
    const { run, calls, files, script } = runDump();
    expect(run.status).toBe(0);
    expect(calls.map(c => c.split(' ')[0] === 'mongodump' ? 'mongodump' : c)).toEqual([
      `mongosh ${BACKUP_FILES.lock}`, 'mongodump', "password: 'backup-pw'", `mongosh ${BACKUP_FILES.unlock}`, `mongosh ${BACKUP_FILES.record}`,
    ]);
    const dump = calls.find(c => c.startsWith('mongodump'))!;
    expect(dump).toContain(`--uri=${ROUTER_URI}`);
    expect(dump).toMatch(/--archive=\S+\/\d{8}T\d{6}Z\.archive\.gz\.partial --gzip/);
    expect(dump).not.toContain('backup-pw');
    // --oplog does not work through mongos; consistency comes from the lock.
    expect(script).not.toContain('--oplog');
    expect(files).toEqual(['20200102T000000Z.archive.gz', expect.stringMatching(/^\d{8}T\d{6}Z\.archive\.gz$/)]);
  });

  test('a failed dump still unlocks, keeps no half archive under the final name, records nothing, and fails the Job', () => {
    const { run, calls, files } = runDump({ mongodump: 'exit 3' });
    expect(run.status).toBe(3);
    expect(calls[calls.length - 1]).toBe(`mongosh ${BACKUP_FILES.unlock}`);
    expect(calls).not.toContain(`mongosh ${BACKUP_FILES.record}`);
    expect(files.filter(f => f.endsWith('.archive.gz'))).toEqual(['20200101T000000Z.archive.gz', '20200102T000000Z.archive.gz']);
  });

  test('SIGTERM during the dump (deadline, eviction) stops it and unlocks', () => {
    const { run, calls } = runDump({ mongodump: 'exec sleep 30', timeoutMs: 1500 });
    expect(run.status).toBe(143);
    expect(calls[calls.length - 1]).toBe(`mongosh ${BACKUP_FILES.unlock}`);
  });

  test('a password with quotes reaches mongodump intact through its YAML config', () => {
    const { calls } = runDump({ password: "it's \"x\"" });
    expect(calls).toContain("password: 'it''s \"x\"'");
  });
});

describe('backup upload to S3 (sh with a fake aws on PATH)', () => {
  function runUpload(endpoint?: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mongo-upload-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.mkdirSync(path.join(dir, 'in'));
    fs.writeFileSync(path.join(dir, 'in', '20990101T023000Z.archive.gz'), 'dump');
    const keys = ['mongo/orders/20000101T023000Z.archive.gz', 'mongo/orders/20990101T023000Z.archive.gz', 'mongo/orders/README'];
    fs.writeFileSync(path.join(bin, 'aws'), `#!/bin/sh\necho "aws $*" >> "${dir}/calls"\ncase "$*" in *list-objects-v2*) printf '${keys.join('\\t')}\\n' ;; esac\n`, { mode: 0o755 });
    const script = uploadScript({ bucket: 'backups', prefix: 'mongo/orders/', endpoint, inputDir: path.join(dir, 'in'), retentionDays: 7 });
    fs.writeFileSync(path.join(dir, 'upload.sh'), script);
    const run = spawnSync('sh', [path.join(dir, 'upload.sh')], {
      encoding: 'utf-8', env: { PATH: `${bin}:/usr/bin:/bin`, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' },
    });
    const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf-8').trim().split('\n');
    fs.rmSync(dir, { recursive: true, force: true });
    return { run, calls, script };
  }

  test('is valid POSIX sh and bash', () => {
    for (const result of shellSyntax(runUpload().script)) expect(result).toEqual(expect.objectContaining({ status: 0, stderr: '' }));
  });

  test('uploads the dump and deletes only dumps past retention', () => {
    const { run, calls } = runUpload();
    expect(run.status).toBe(0);
    expect(calls[0]).toMatch(/^aws s3 cp \S+\/20990101T023000Z\.archive\.gz s3:\/\/backups\/mongo\/orders\/20990101T023000Z\.archive\.gz --only-show-errors$/);
    expect(calls.filter(c => c.startsWith('aws s3 rm'))).toEqual(['aws s3 rm s3://backups/mongo/orders/20000101T023000Z.archive.gz --only-show-errors']);
  });

  test('talks to an S3-compatible endpoint when given one', () => {
    const { calls } = runUpload('https://minio.storage.svc:9000');
    expect(calls.every(c => c.startsWith('aws --endpoint-url https://minio.storage.svc:9000 '))).toBe(true);
  });
});

describe('DocumentDB sharding script (the AWS sharding task)', () => {
  const collections = topologyOf(1, 3, { 'shop.orders': MongoShardKey.hashed('customerId') }).collections;
  const script = documentDbShardingScript('orders-db', collections);

  function elastic() {
    const { cluster } = clusterWithBackupUser();
    cluster.replicaSets.get('orders-db-configsvr')!.users.set('clusteradmin', { pwd: 'admin-pw', roles: [] });
    cluster.shards.push('shard-a');
    cluster.hideConfigDatabase = true;
    return { cluster, run: () => cluster.run(script, { kind: 'router' }, { MONGODB_USERNAME: 'clusteradmin', MONGODB_PASSWORD: 'admin-pw' }, ['orders-db-configsvr']) };
  }

  test('parses, logs in as the administrator and never calls enableSharding (DocumentDB has no such step)', () => {
    expect(() => parseJavaScript(script)).not.toThrow();
    expect(script).toContain("db.getSiblingDB('admin').auth(requireEnv('MONGODB_USERNAME'), requireEnv('MONGODB_PASSWORD'))");
    expect(script).not.toContain('sh.enableSharding(');
  });

  test('shards once; the next scheduled runs change nothing, even with the config database hidden', () => {
    const { cluster, run } = elastic();
    run();
    expect(cluster.mutations).toEqual(['sh.shardCollection shop.orders {"customerId":"hashed"}']);
    run();
    run();
    expect(cluster.mutations).toHaveLength(1);
    expect(cluster.output.filter(line => line.includes('already sharded'))).toHaveLength(2);
  });
});
