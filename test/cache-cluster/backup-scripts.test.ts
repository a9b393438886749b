import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BACKUP_RECORD_KEY, renderRecordScript, renderRestoreScript, renderSnapshotScript } from '../../src/cache-cluster/backup-scripts';
import { CacheClusterMode } from '../../src/cache-cluster/engine';
import { resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import { backupDownloadScript, backupUploadScript, s3EndpointPort } from '../../src/platform/backup-s3';
import { PlatformTarget } from '../../src/platform/target';

const spec = resolveCacheClusterSpec('sessions', {}, PlatformTarget.KUBERNETES);
const clusterSpec = resolveCacheClusterSpec('sessions', { mode: CacheClusterMode.CLUSTER }, PlatformTarget.KUBERNETES);
const SNAPSHOT = { record: true, prune: true, retentionDays: 7, maxSnapshots: 0, maxAgeSeconds: 93600 };
/** The backup stamp of `daysAgo` days before now. */
const stampOf = (daysAgo: number) => new Date(Date.now() - daysAgo * 86400_000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const YESTERDAY = `${stampOf(1)}.rdb`;

/** Runs `script` in a temporary directory with fake tools on PATH; returns its status, output and the tools' calls. */
function run(script: string, tools: Record<string, string>, env: Record<string, string>, setup?: (dir: string) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-backup-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const [name, body] of Object.entries(tools)) {
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> "${dir}/calls"\n${body}\n`, { mode: 0o755 });
    }
    setup?.(dir);
    fs.writeFileSync(path.join(dir, 'script.sh'), script);
    const result = spawnSync('sh', [path.join(dir, 'script.sh')], {
      encoding: 'utf8', timeout: 20_000, env: { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: dir, ...env, ...fillDir(env, dir) },
    });
    const calls = fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n') : [];
    const files = (sub: string) => fs.existsSync(path.join(dir, sub)) ? fs.readdirSync(path.join(dir, sub)).sort() : [];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, files: files('out') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
/** `@dir` in an env value stands for the temporary directory. */
const fillDir = (env: Record<string, string>, dir: string) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('@dir', dir)]));

function syntax(script: string): void {
  for (const shell of ['sh', 'bash']) {
    const result = spawnSync(shell, ['-n'], { input: script, encoding: 'utf8' });
    expect({ shell, status: result.status, stderr: result.stderr }).toEqual({ shell, status: 0, stderr: '' });
  }
}

describe('generated backup and restore scripts', () => {
  test.each([
    ['snapshot (replication)', renderSnapshotScript(spec, SNAPSHOT)],
    ['snapshot (cluster)', renderSnapshotScript(clusterSpec, { ...SNAPSHOT, maxSnapshots: 3 })],
    ['record', renderRecordScript(spec, 93600)],
    ['restore (replication)', renderRestoreScript(spec, ['a.rdb'], 'id')],
    ['restore (cluster)', renderRestoreScript(clusterSpec, ['a.rdb', 'b.rdb'], 'id')],
    ['upload', backupUploadScript({ bucket: 'b', prefix: 'p/', inputDir: '/backups', extension: '.rdb', retentionDays: 7, maxRuns: 0 })],
    ['download', backupDownloadScript({ bucket: 'b', prefix: 'p/', outputDir: '/restore', files: ['a.rdb'] })],
  ])('%s is valid POSIX sh and bash', (_name, script) => syntax(script));

  test('a file name is one quoted word in the restore and download scripts (data, never code)', () => {
    const odd = "x'; touch /tmp/pwned; '.rdb";
    expect(renderRestoreScript(spec, [odd], 'id')).toContain('for file in \'x\'\\\'\'; touch /tmp/pwned; \'\\\'\'.rdb\'; do');
    const download = backupDownloadScript({ bucket: 'b', prefix: "p'/", outputDir: '/restore', files: [odd] });
    expect(download).toContain("'s3://b/p'\\''/'\"$file\"");
  });
});

describe('snapshot script (sh with a fake redis-cli)', () => {
  // A fake redis-cli: node 1 is the primary, node 2 an in-sync replica; --rdb writes an RDB header.
  const redisCli = (rdb = 'printf REDIS0011 > "$f"') => `
for a in "$@"; do case "$prev" in --rdb) f=$a ;; -p) port=$a ;; esac; prev=$a; done
case "$*" in
  *--rdb*) ${rdb} ;;
  *'INFO replication'*) if [ "$port" = 1 ]; then printf 'role:master\\r\\n'; else printf 'role:slave\\r\\nmaster_link_status:up\\r\\n'; fi ;;
  *' SET '*) [ "$port" = 1 ] && echo OK || echo 'READONLY' ;;
esac`;
  const env = { REDIS_NODES: 'n1:1 n2:2', REDISCLI_AUTH: 'pw', BACKUP_DIR: '@dir/out' };
  const withOld = (dir: string) => {
    fs.mkdirSync(path.join(dir, 'out'));
    for (const name of ['20000101T000000Z.rdb', YESTERDAY, 'notes.txt']) fs.writeFileSync(path.join(dir, 'out', name), 'REDIS');
  };

  test('snapshots the replica, prunes runs past retention, records on the primary', () => {
    const result = run(renderSnapshotScript(spec, SNAPSHOT), { 'redis-cli': redisCli(), 'timeout': 'shift; exec "$@"' }, env, withOld);
    expect(result.status).toBe(0);
    expect(result.calls.filter(c => c.startsWith('redis-cli') && c.includes('--rdb'))).toEqual([
      expect.stringMatching(/^redis-cli --no-auth-warning -h n2 -p 2 --rdb \S+\/out\/\d{8}T\d{6}Z\.rdb\.partial$/),
    ]);
    expect(result.files).toHaveLength(3);
    expect(result.files).toEqual(expect.arrayContaining([YESTERDAY, expect.stringMatching(/^\d{8}T\d{6}Z\.rdb$/), 'notes.txt']));
    expect(result.files).not.toContain('20000101T000000Z.rdb');
    expect(result.calls.filter(c => c.startsWith('redis-cli') && c.includes(' SET '))).toEqual([
      expect.stringMatching(new RegExp(`-h n1 -p 1 --raw -c SET ${BACKUP_RECORD_KEY} \\d{8}T\\d{6}Z EX 93600$`)),
    ]);
    // The password travels in the environment only.
    expect(result.calls.join('\n')).not.toContain('pw');
  });

  test('with TLS_CA_FILE every call to the cache, the --rdb transfer too, uses TLS with that CA', () => {
    const result = run(renderSnapshotScript(spec, SNAPSHOT), { 'redis-cli': redisCli(), 'timeout': 'shift; exec "$@"' }, { ...env, TLS_CA_FILE: '/etc/cache-tls/ca.crt' }, withOld);
    expect(result.status).toBe(0);
    const calls = result.calls.filter(c => c.startsWith('redis-cli'));
    expect(calls.filter(c => c.includes('--rdb'))).toHaveLength(1);
    expect(calls.filter(c => !c.startsWith('redis-cli --no-auth-warning --tls --cacert /etc/cache-tls/ca.crt -h '))).toEqual([]);
  });

  test('keeps at most maxSnapshots runs, never the one just taken', () => {
    const setup = (dir: string) => {
      fs.mkdirSync(path.join(dir, 'out'));
      for (const days of [1, 2, 3]) fs.writeFileSync(path.join(dir, 'out', `${stampOf(days)}.rdb`), 'REDIS');
      // A clock that went backwards: runs stamped in the future never push out the run just taken.
      for (const name of ['20980101T000000Z.rdb', '20990101T000000Z.rdb']) fs.writeFileSync(path.join(dir, 'out', name), 'REDIS');
    };
    const result = run(renderSnapshotScript(spec, { ...SNAPSHOT, maxSnapshots: 2 }), { 'redis-cli': redisCli(), 'timeout': 'shift; exec "$@"' }, env, setup);
    expect(result.status).toBe(0);
    expect(result.files).toHaveLength(3);
    expect(result.files).toEqual(expect.arrayContaining(['20980101T000000Z.rdb', '20990101T000000Z.rdb', expect.stringMatching(/^20\d{6}T\d{6}Z\.rdb$/)]));
    expect(result.files.filter(f => [1, 2, 3].map(d => `${stampOf(d)}.rdb`).includes(f))).toEqual([]);
  });

  test('a failed transfer leaves no file, records nothing and fails the Job', () => {
    const result = run(renderSnapshotScript(spec, SNAPSHOT), { 'redis-cli': redisCli('echo partial > "$f"; exit 1'), 'timeout': 'shift; exec "$@"' }, env, withOld);
    expect(result.status).toBe(70);
    expect(result.stderr).toContain('the snapshot of n2:2 failed');
    expect(result.files).toEqual(['20000101T000000Z.rdb', YESTERDAY, 'notes.txt'].sort());
    expect(result.calls.some(c => c.includes(' SET '))).toBe(false);
  });

  test('something that is not an RDB file is refused', () => {
    const result = run(renderSnapshotScript(spec, SNAPSHOT), { 'redis-cli': redisCli('echo "-ERR" > "$f"'), 'timeout': 'shift; exec "$@"' }, env, withOld);
    expect(result.status).toBe(70);
    expect(result.stderr).toContain('is not an RDB file');
  });

  test('no primary: nothing consistent to snapshot', () => {
    const result = run(renderSnapshotScript(spec, SNAPSHOT), { 'redis-cli': 'exit 1', 'timeout': 'shift; exec "$@"' }, env, withOld);
    expect(result.status).toBe(69);
    expect(result.stderr).toContain('no node of sessions is a primary');
  });

  test('a password with a final newline is refused before anything runs', () => {
    const result = run(renderSnapshotScript(spec, SNAPSHOT), { 'redis-cli': redisCli() }, { ...env, REDISCLI_AUTH: 'pw\n' });
    expect(result.status).toBe(64);
    expect(result.calls).toEqual([]);
  });
});

describe('cluster-mode sources (sh with a fake redis-cli answering CLUSTER NODES)', () => {
  const nodes = [
    'a1 10.0.0.1:6379@16379,sessions-0.nodes myself,master - 0 0 1 connected 0-5460',
    'a2 10.0.0.2:6379@16379,sessions-1.nodes master - 0 0 2 connected 5461-10922',
    'a3 10.0.0.3:6379@16379,sessions-2.nodes master - 0 0 3 connected 10923-16383',
    'b1 10.0.0.4:6379@16379,sessions-3.nodes slave a1 0 0 1 connected',
    'b2 10.0.0.5:6379@16379,sessions-4.nodes slave,fail a2 0 0 2 disconnected',
    'b3 10.0.0.6:6379@16379,sessions-5.nodes slave a3 0 0 3 connected',
  ];
  const cli = (lines: string[]) => `case "$*" in *'CLUSTER NODES'*) printf '${lines.join('\\n')}\\n' ;; *--rdb*) for a in "$@"; do f=$a; done; printf REDIS > "$f" ;; esac`;
  const env = { REDIS_NODES: 'sessions-0.nodes:6379', REDISCLI_AUTH: 'pw', BACKUP_DIR: '@dir/out' };
  const setup = (dir: string) => fs.mkdirSync(path.join(dir, 'out'));

  test('one file per shard, from its replica by hostname; the primary where its replica failed', () => {
    const result = run(renderSnapshotScript(clusterSpec, { ...SNAPSHOT, record: false }), { 'redis-cli': cli(nodes), 'timeout': 'shift; exec "$@"' }, env, setup);
    expect(result.status).toBe(0);
    const from = result.calls.filter(c => c.includes('--rdb')).map(c => /-h (\S+) -p (\d+) --rdb \S+\/(\S+)\.partial/.exec(c)!.slice(1).join(' ')).sort();
    expect(from.map(f => f.replace(/\d{8}T\d{6}Z/, 'STAMP'))).toEqual([
      'sessions-1.nodes 6379 STAMP-slots-5461-10922.rdb',
      'sessions-3.nodes 6379 STAMP-slots-0-5460.rdb',
      'sessions-5.nodes 6379 STAMP-slots-10923-16383.rdb',
    ]);
    expect(result.stderr).toContain('no replica of the primary of slots 5461-10922 in sync, snapshotting the primary');
    expect(result.files).toHaveLength(3);
  });

  test('a shard without a reachable primary fails the run instead of saving part of the data', () => {
    const result = run(renderSnapshotScript(clusterSpec, SNAPSHOT), { 'redis-cli': cli(nodes.map(l => l.replace('master - 0 0 3', 'master,fail - 0 0 3'))), 'timeout': 'shift; exec "$@"' }, env, setup);
    expect(result.status).toBe(69);
    expect(result.stderr).toContain('only 2 of 3 shards have a reachable primary');
    expect(result.files).toEqual([]);
  });
});

describe('cluster-mode restore (sh with a fake redis-cli whose nodes agree only once gossip has settled)', () => {
  // Time passes only in the fake sleep. Every node answers cluster_state:ok at once, as a node does
  // that has heard of every slot's owner, but the nodes agree on the slots (what
  // \`redis-cli --cluster check\` and \`--cluster import\` require) only 5 s later.
  const clock = 'cat "$TMPDIR/clock" 2>/dev/null || echo 0';
  const tools = {
    'sleep': `echo $(( $(${clock}) + $1 )) > "$TMPDIR/clock"`,
    'timeout': 'shift; exec "$@"',
    'redis-server': 'exec /bin/sleep 60',
    'redis-cli': `agreed() { [ "$(${clock})" -ge 5 ]; }
case "$*" in
  *'CLUSTER INFO'*) printf 'cluster_state:ok\r\n' ;;
  *'--cluster check'*|*'--cluster import'*) agreed || { echo "[ERR] Nodes don't agree about configuration!"; exit 1; } ;;
  *EXISTS*) echo 0 ;;
  *PING*) echo PONG ;;
  *DBSIZE*) echo 3 ;;
  *' SET '*) echo OK ;;
esac`,
  };
  const env = { REDIS_NODES: 'n1:1 n2:2', REDISCLI_AUTH: 'pw', RESTORE_DIR: '@dir/in' };
  const setup = (dir: string) => {
    fs.mkdirSync(path.join(dir, 'in'));
    fs.writeFileSync(path.join(dir, 'in', 'a.rdb'), 'REDIS0011');
  };

  test('waits until the nodes agree before importing, instead of failing on a cluster just created', () => {
    const result = run(renderRestoreScript(clusterSpec, ['a.rdb'], 'id'), tools, env, setup);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const imports = result.calls.filter(c => c.startsWith('redis-cli') && c.includes('--cluster import'));
    expect(imports).toHaveLength(1);
    // Checked first, waited, checked again: the import comes after a check that passed.
    const checks = result.calls.filter(c => c.startsWith('redis-cli') && c.includes('--cluster check'));
    expect(checks.length).toBeGreaterThanOrEqual(2);
    expect(result.calls.indexOf(imports[0])).toBeGreaterThan(result.calls.lastIndexOf(checks[checks.length - 1]));
    expect(result.stdout).toContain('restore finished');
  });

  test('nodes that never agree: the restore gives up after WAIT_SECONDS, saying why, and imports nothing', () => {
    const never = { ...tools, 'redis-cli': tools['redis-cli'].replace('-ge 5', '-ge 100000') };
    const result = run(renderRestoreScript(clusterSpec, ['a.rdb'], 'id'), never, { ...env, WAIT_SECONDS: '30' }, setup);
    expect(result.status).toBe(69);
    expect(result.stderr).toContain('did not come up within 30 s');
    expect(result.calls.some(c => c.includes('--cluster import'))).toBe(false);
  });
});

describe('S3 upload (sh with a fake aws)', () => {
  const keys = ['redis/sessions/20000101T030000Z.rdb', 'redis/sessions/20000101T030000Z-slots-0-5460.rdb', 'redis/sessions/20980101T030000Z.rdb',
    'redis/sessions/20990101T030000Z.rdb', 'redis/sessions/README', 'redis/sessions/nested/20000101T030000Z.rdb'];
  const aws = `case "$*" in *list-objects-v2*) printf '${keys.join('\\t')}\\n' ;; esac`;
  const upload = (o: { endpoint?: string; maxRuns?: number } = {}) => run(backupUploadScript({
    bucket: 'acme-backups', prefix: 'redis/sessions/', endpoint: o.endpoint, inputDir: '/nonexistent', extension: '.rdb', retentionDays: 7, maxRuns: o.maxRuns ?? 0,
  }).replace("'/nonexistent'", '"$INPUT"'), { aws }, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', INPUT: '@dir/in' }, dir => {
    fs.mkdirSync(path.join(dir, 'in'));
    fs.writeFileSync(path.join(dir, 'in', '20990101T030000Z.rdb'), 'REDIS');
    fs.writeFileSync(path.join(dir, 'in', '20990101T030000Z.rdb.partial'), 'REDIS');
  });

  test('uploads the finished snapshot and deletes every file of runs past retention, nothing else', () => {
    const { status, calls } = upload();
    expect(status).toBe(0);
    expect(calls[0]).toMatch(/^aws s3 cp \S+\/in\/20990101T030000Z\.rdb s3:\/\/acme-backups\/redis\/sessions\/20990101T030000Z\.rdb --only-show-errors$/);
    expect(calls[1]).toBe('aws s3api list-objects-v2 --bucket acme-backups --prefix redis/sessions/ --query Contents[].Key --output text');
    expect(calls.filter(c => c.startsWith('aws s3 rm'))).toEqual([
      'aws s3 rm s3://acme-backups/redis/sessions/20000101T030000Z.rdb --only-show-errors',
      'aws s3 rm s3://acme-backups/redis/sessions/20000101T030000Z-slots-0-5460.rdb --only-show-errors',
    ]);
  });

  test('maxRuns keeps only the newest runs', () => {
    const { calls } = upload({ maxRuns: 1 });
    expect(calls.filter(c => c.startsWith('aws s3 rm')).map(c => c.split(' ')[3])).toEqual([
      's3://acme-backups/redis/sessions/20980101T030000Z.rdb',
      's3://acme-backups/redis/sessions/20000101T030000Z.rdb',
      's3://acme-backups/redis/sessions/20000101T030000Z-slots-0-5460.rdb',
    ]);
  });

  test('talks to an S3-compatible endpoint when given one', () => {
    const { calls } = upload({ endpoint: 'https://minio.storage.svc:9000' });
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.every(c => c.startsWith('aws --endpoint-url https://minio.storage.svc:9000 '))).toBe(true);
  });

  test('nothing to upload fails the Job (the alert then fires)', () => {
    const result = run(backupUploadScript({ bucket: 'b', prefix: '', inputDir: '/nonexistent', extension: '.rdb', retentionDays: 7, maxRuns: 0 }),
      { aws: '' }, { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no backup to upload');
  });

  test('the download fetches each file under the prefix, complete or not at all', () => {
    const result = run(backupDownloadScript({ bucket: 'acme-backups', prefix: 'redis/sessions/', outputDir: '/nonexistent', files: ['a.rdb', 'b.rdb'] })
      .replace("'/nonexistent'", '"$OUT"'), { aws: 'for a in "$@"; do last=$a; done; [ "$last" = --only-show-errors ] && eval "f=\\${$(($# - 1))}" && echo x > "$f"' },
    { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's', OUT: '@dir/out' }, dir => fs.mkdirSync(path.join(dir, 'out')));
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      expect.stringMatching(/^aws s3 cp s3:\/\/acme-backups\/redis\/sessions\/a\.rdb \S+\/out\/a\.rdb\.partial --only-show-errors$/),
      expect.stringMatching(/^aws s3 cp s3:\/\/acme-backups\/redis\/sessions\/b\.rdb \S+\/out\/b\.rdb\.partial --only-show-errors$/),
    ]);
    expect(result.files).toEqual(['a.rdb', 'b.rdb']);
  });

  test.each([
    [undefined, 443], ['https://s3.example.com', 443], ['http://minio:9000', 9000], ['http://minio', 80], ['https://minio:8443/', 8443],
  ])('endpoint %s → egress port %d', (endpoint, port) => {
    expect(s3EndpointPort(endpoint)).toBe(port);
  });
});
