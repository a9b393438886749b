import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { fakeClusterFor, parseJavaScript, shellSyntax, topologyOf } from './support/scripts';
import { MongoShardKey } from '../../src/mongo-sharded-cluster';
import {
  agentScript, backupRecordScript, backupScript, configureScript, recordAfterBackupScript, restoreScript,
} from '../../src/mongo-sharded-cluster/mongo-backup';
import { documentDbShardingScript } from '../../src/mongo-sharded-cluster/mongo-sharding';
import { MongoRestore, restoreArgs } from '../../src/mongo-sharded-cluster/restore';
import { replicaSetsOf } from '../../src/mongo-sharded-cluster/topology';

const { topology } = topologyOf(2, 3);
const CLIENT = { clusterName: 'orders-db', configServers: topology.configServers, tls: true };
const CONFIG_SERVERS = topology.configServers.members.join(',');
const TLS = '&tls=true&tlsCAFile=/etc/mongodb/tls/ca.crt';

/**
 * Runs `script` with POSIX sh and fake `pbm`/`pbm-agent` on PATH: each logs its arguments and the
 * PBM_MONGODB_URI it received; `failing` makes `pbm <that subcommand>` exit 1.
 */
function runWithFakePbm(script: string, options: { password?: string; failing?: string; inline?: boolean } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbm-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const log = path.join(dir, 'calls');
    const fake = (name: string) => `#!/bin/sh
printf '%s\\n' "${name} $*" >> "${log}"
printf 'uri %s\\n' "$PBM_MONGODB_URI" >> "${log}"
${options.failing ? `[ "$1" = ${JSON.stringify(options.failing)} ] && exit 1` : ''}
exit 0
`;
    fs.writeFileSync(path.join(bin, 'pbm'), fake('pbm'), { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'pbm-agent'), fake('pbm-agent'), { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const args = options.inline ? ['-c', script] : [path.join(dir, 'script.sh')];
    if (!options.inline) fs.writeFileSync(args[0], script);
    const run = spawnSync('sh', args, {
      encoding: 'utf-8',
      timeout: 10_000,
      env: { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: dir, MONGO_BACKUP_PASSWORD: options.password ?? 'backup-pw' },
    });
    const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf-8').trim().split('\n') : [];
    return {
      status: run.status,
      stderr: run.stderr,
      calls: lines.filter(l => !l.startsWith('uri ')),
      uris: lines.filter(l => l.startsWith('uri ')).map(l => l.slice(4)),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The password inside a mongodb:// URI, decoded as a driver does. */
const passwordOf = (uri: string) => decodeURIComponent(/^mongodb:\/\/pbm:([^@]*)@/.exec(uri)![1]);

describe('PBM agent (inline in every member pod)', () => {
  test('is valid POSIX sh and bash', () => {
    for (const tls of [true, false]) expect(shellSyntax(agentScript(tls))).toEqual([{ shell: 'sh', status: 0, stderr: '' }, { shell: 'bash', status: 0, stderr: '' }]);
  });

  test('connects to its own mongod only (directConnection), as the pbm user, with TLS and the CA', () => {
    const run = runWithFakePbm(agentScript(true), { inline: true });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(['pbm-agent ']);
    expect(run.uris).toEqual([`mongodb://pbm:%62%61%63%6b%75%70%2d%70%77@localhost:27017/?authSource=admin&directConnection=true${TLS}`]);
  });

  test('any password reaches the URI percent-encoded, and decodes to itself (property)', () => {
    // Whatever the bytes (quotes, @, :, /, %, $(…), non-ASCII), the URI stays one URI and the driver decodes the password back.
    const password = fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' })
      .filter(p => p.trim() === p && !p.includes('\0'));
    fc.assert(fc.property(password, p => {
      const run = runWithFakePbm(agentScript(false), { inline: true, password: p });
      expect(run.status).toBe(0);
      expect(run.uris).toHaveLength(1);
      expect(run.uris[0]).toMatch(/^mongodb:\/\/pbm:(%[0-9a-f]{2})+@localhost:27017\/\?authSource=admin&directConnection=true$/);
      expect(passwordOf(run.uris[0])).toBe(p);
    }), { numRuns: 25 });
  });

  test('refuses a password with a final newline before it starts', () => {
    const run = runWithFakePbm(agentScript(true), { inline: true, password: 'pw\n' });
    expect(run.status).toBe(64);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('MONGO_BACKUP_PASSWORD begins or ends with whitespace');
  });
});

describe('PBM clients (backup, configuration, restore Jobs)', () => {
  const SCRIPTS = {
    backup: backupScript({ ...CLIENT, retentionDays: 14 }),
    configure: configureScript(CLIENT, '/scripts'),
    restore: restoreScript({ ...CLIENT, scriptsDir: '/scripts', restoreArgs: restoreArgs(MongoRestore.fromBackup('2026-12-01T03:00:21Z'), [], 'orders-db') }),
    record: recordAfterBackupScript('mongodb://orders-db.shop.svc.cluster.local:27017/?authSource=admin', '/scripts'),
  };

  test.each(Object.entries(SCRIPTS))('%s is valid POSIX sh and bash', (_name, script) => {
    expect(shellSyntax(script)).toEqual([{ shell: 'sh', status: 0, stderr: '' }, { shell: 'bash', status: 0, stderr: '' }]);
  });

  test('every client talks to the config-server replica set, where PBM keeps its control collections', () => {
    for (const script of [SCRIPTS.backup, SCRIPTS.configure, SCRIPTS.restore]) {
      const run = runWithFakePbm(script);
      expect(run.status).toBe(0);
      expect(new Set(run.uris)).toEqual(new Set([
        `mongodb://pbm:%62%61%63%6b%75%70%2d%70%77@${CONFIG_SERVERS}/?authSource=admin&replicaSet=orders-db-configsvr${TLS}`,
      ]));
    }
  });

  test('backup: one logical snapshot of the whole cluster, then the retention (snapshots and oplog slices), never a lock', () => {
    const run = runWithFakePbm(SCRIPTS.backup);
    expect(run.calls).toEqual(['pbm backup --type=logical --wait', 'pbm cleanup --older-than=14d --yes --wait', 'pbm list']);
    expect(SCRIPTS.backup).not.toMatch(/fsyncLock|stopBalancer|mongodump/);
  });

  test('backup: a failed snapshot fails the container before the retention, so the record never runs', () => {
    const run = runWithFakePbm(SCRIPTS.backup, { failing: 'backup' });
    expect(run.status).not.toBe(0);
    expect(run.calls).toEqual(['pbm backup --type=logical --wait']);
  });

  test('configuration: waits for the agents, then applies the file', () => {
    const run = runWithFakePbm(SCRIPTS.configure);
    expect(run.calls).toEqual(['pbm status --out=json', 'pbm config --file /scripts/pbm-config.yaml']);
  });

  test('restore: PITR off, resync from storage, restore, a new base snapshot, then the configuration again', () => {
    const run = runWithFakePbm(SCRIPTS.restore);
    expect(run.calls).toEqual([
      'pbm config --set pitr.enabled=false',
      'pbm config --force-resync --wait',
      'pbm restore 2026-12-01T03:00:21Z --yes --wait',
      'pbm backup --type=logical --wait',
      'pbm config --file /scripts/pbm-config.yaml',
    ]);
    const failed = runWithFakePbm(SCRIPTS.restore, { failing: 'restore' });
    expect(failed.status).not.toBe(0);
    expect(failed.calls).not.toContain('pbm backup --type=logical --wait');
  });

  test('restore arguments: a snapshot, a point in time, and the replica sets of another cluster mapped by index', () => {
    const targets = replicaSetsOf(topology).map(rs => rs.name);
    expect(restoreArgs(MongoRestore.toPointInTime('2026-12-01T14:30:00'), targets, 'orders-db')).toEqual(['--time=2026-12-01T14:30:00']);
    expect(restoreArgs(MongoRestore.fromBackup('2026-12-01T03:00:21Z', { sourceClusterName: 'orders-db' }), targets, 'orders-db')).toEqual(['2026-12-01T03:00:21Z']);
    expect(restoreArgs(MongoRestore.fromBackup('2026-12-01T03:00:21Z', { sourceClusterName: 'old-db' }), targets, 'orders-db')).toEqual([
      '2026-12-01T03:00:21Z',
      '--replset-remapping=orders-db-configsvr=old-db-configsvr,orders-db-shard-0=old-db-shard-0,orders-db-shard-1=old-db-shard-1',
    ]);
  });

  test('restore arguments are data in the shell: each stays one word, whatever it holds', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 }), value => {
      const script = restoreScript({ ...CLIENT, scriptsDir: '/scripts', restoreArgs: [value] });
      const run = runWithFakePbm(script);
      expect(run.calls.find(c => c.startsWith('pbm restore '))).toBe(`pbm restore ${value} --yes --wait`);
    }), { numRuns: 15 });
  });

  test('every script refuses a password with a final newline before it calls pbm', () => {
    for (const script of [SCRIPTS.backup, SCRIPTS.configure, SCRIPTS.restore]) {
      const run = runWithFakePbm(script, { password: 'pw\n' });
      expect(run.status).toBe(64);
      expect(run.calls).toEqual([]);
    }
  });
});

describe('backup record (mongosh through mongos)', () => {
  test('parses, and inserts one record as the backup user', () => {
    expect(() => parseJavaScript(backupRecordScript())).not.toThrow();
    const cluster = fakeClusterFor(topology);
    cluster.replicaSets.set(topology.configServers.name, {
      initiated: true, configsvr: true, members: topology.configServers.members, users: new Map([['pbm', { pwd: 'backup-pw', roles: [] }]]),
    });
    cluster.backupRecords.exists = true;
    cluster.run(backupRecordScript(), { kind: 'router' }, { MONGO_BACKUP_USER: 'pbm', MONGO_BACKUP_PASSWORD: 'backup-pw' }, replicaSetsOf(topology).map(rs => rs.name));
    expect(cluster.backupRecords.records).toBe(1);
    expect(cluster.output).toContain('backup recorded');
  });
});

describe('DocumentDB sharding script (the AWS sharding task)', () => {
  const collections = topologyOf(1, 3, { 'shop.orders': MongoShardKey.hashed('customerId') }).collections;
  const script = documentDbShardingScript('orders-db', collections);

  function elastic() {
    const cluster = fakeClusterFor(topologyOf(1, 3).topology);
    cluster.replicaSets.set('orders-db-configsvr', { initiated: true, configsvr: true, members: [], users: new Map([['clusteradmin', { pwd: 'admin-pw', roles: [] }]]) });
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
