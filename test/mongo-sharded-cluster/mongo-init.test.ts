import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bootstrap, ENV, fakeClusterFor, parseJavaScript, scriptsOf, shellSyntax, topologyOf } from './support/scripts';
import { MongoShardKey } from '../../src/mongo-sharded-cluster';
import { clusterScript, INIT_FILES, initDriverScript } from '../../src/mongo-sharded-cluster/mongo-init';
import { replicaSetsOf } from '../../src/mongo-sharded-cluster/topology';

describe('init scripts: structure', () => {
  const { topology, collections } = topologyOf(4, 5, { 'shop.orders': MongoShardKey.hashed('customerId'), 'shop.carts': MongoShardKey.ranged(['region', 'cartId'], true) });
  const scripts = scriptsOf(topology, collections);
  const driver = initDriverScript(topology, '/scripts');

  test.each(Object.entries(scripts))('%s.js is JavaScript that parses (vm.Script and new Function)', (_name, script) => {
    expect(() => parseJavaScript(script)).not.toThrow();
    expect(() => new Function(script)).not.toThrow();
  });

  test('no shell call sits in a callback of a built-in (mongosh does not await those)', () => {
    for (const script of Object.values(scripts)) {
      expect(script).not.toMatch(/\.forEach\(/);
      // Callbacks of map/some/find only read plain data.
      for (const callback of script.match(/\.(map|some|find)\(([^)]*=>[^;]*)\)/g) ?? []) {
        expect(callback).not.toMatch(/\b(db|rs|sh)\.|new Mongo/);
      }
    }
  });

  test('the driver is valid POSIX sh and bash', () => {
    for (const result of shellSyntax(driver)) expect(result).toEqual(expect.objectContaining({ status: 0, stderr: '' }));
  });

  test('every replica set and every member appears: driver URIs and the scripts\' topology', () => {
    for (const rs of replicaSetsOf(topology)) {
      expect(driver).toContain(`retry initiate '${rs.name}'`);
      expect(driver).toContain(`retry configure '${rs.name}' 'mongodb://${rs.members.join(',')}/?replicaSet=${rs.name}`);
      for (const host of rs.members) {
        expect(driver).toContain(`'mongodb://${host}/?directConnection=true`);
        expect(scripts.cluster).toContain(`"${host}"`);
      }
    }
    expect(replicaSetsOf(topology)).toHaveLength(5);
    expect(topology.shards.every(s => s.members.length === 5)).toBe(true);
    // Config servers first, then shards, then mongos.
    const order = [...replicaSetsOf(topology).map(rs => driver.indexOf(`retry initiate '${rs.name}'`)), driver.indexOf(INIT_FILES.cluster, driver.indexOf('retry mongosh'))];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('the documented commands, each behind a guard that reads the current state', () => {
    expect(scripts.initiate).toMatch(/if \(isInitiated\(\)\) \{\s*print\(`replica set \$\{replicaSet\.name\} is already initiated`\);\s*\} else \{[\s\S]*rs\.initiate\(/);
    expect(scripts.initiate).toMatch(/rs\.status\(\);\s*return true;[\s\S]*error\.code === 94 \|\| error\.codeName === 'NotYetInitialized'/);
    expect(scripts.initiate).toContain('configsvr: true');
    expect(scripts.configure).toMatch(/if \(configured\.includes\(host\)\) continue;\s*rs\.add\(\{ host: host \}\)/);
    // Members are removed only while those that remain are a majority of the configured ones.
    expect(scripts.configure).toMatch(/if \(kept \* 2 <= configured\.length\) \{\s*throw[\s\S]*for \(const host of dropped\) \{\s*rs\.remove\(host\)/);
    for (const script of [scripts.configure, scripts.cluster]) {
      expect(script).toMatch(/if \(admin\.getUser\(user\) !== null\) \{[\s\S]*?return;\s*\}\s*admin\.createUser\(/);
    }
    expect(scripts.cluster).toMatch(/db\.adminCommand\(\{ listShards: 1 \}\)[\s\S]*if \(shardIds\.includes\(shard\.name\)\) \{[\s\S]*sh\.addShard\(/);
    expect(scripts.cluster).toMatch(/if \(databaseIsSharded\(database\)\) \{[\s\S]*sh\.enableSharding\(database\)/);
    expect(scripts.cluster).toMatch(/if \(collectionIsSharded\(target\.namespace\)\) \{[\s\S]*sh\.shardCollection\(target\.namespace, target\.key, target\.unique\)/);
    expect(scripts.cluster).toContain('"key": {\n      "region": 1,\n      "cartId": 1\n    },\n    "unique": true');
    expect(scripts.cluster).toContain('"customerId": "hashed"');
  });

  test('credentials come from the environment and the keyfile, never from the script', () => {
    for (const script of Object.values(scripts)) {
      expect(script).not.toMatch(/admin-pw|monitor-pw|backup-pw/);
      expect(script).toContain("fs.readFileSync(requireEnv('MONGO_KEYFILE')");
    }
    expect(scripts.cluster).toContain("requireEnv('MONGO_ADMIN_PASSWORD')");
    expect(driver).not.toMatch(/-p |--password/);
  });
});

describe('init scripts: run by a fake mongosh', () => {
  test('the first run builds the cluster; the second changes nothing', () => {
    const { topology, collections } = topologyOf();
    const scripts = scriptsOf(topology, collections);
    const cluster = fakeClusterFor(topology);
    expect(bootstrap(cluster, topology, scripts)).toEqual([
      'rs.initiate orders-db-configsvr (configsvr) 3 members',
      ...[0, 1, 2].flatMap(i => [
        `rs.initiate orders-db-shard-${i} 3 members`,
        `createUser clusteradmin@orders-db-shard-${i}`,
        `createUser metrics@orders-db-shard-${i}`,
        // The backup agent beside each shard member logs in directly: a shard-local user.
        `createRole pbmAnyAction@orders-db-shard-${i}`,
        `createUser pbm@orders-db-shard-${i}`,
      ]),
      'createUser clusteradmin@cluster',
      'createUser metrics@cluster',
      'createRole pbmAnyAction@cluster',
      'createUser pbm@cluster',
      'sh.addShard orders-db-shard-0',
      'sh.addShard orders-db-shard-1',
      'sh.addShard orders-db-shard-2',
      // Backup records: kept 26 h; the new cluster's creation counts as its first backup.
      'createIndex platform_backups.succeeded at_ttl 93600',
      'insertOne platform_backups.succeeded (created)',
      'sh.enableSharding shop',
      'sh.shardCollection shop.orders {"customerId":"hashed"}',
    ]);
    expect(bootstrap(cluster, topology, scripts)).toEqual([]);
    expect(cluster.output).toEqual(expect.arrayContaining([
      'replica set orders-db-shard-2 is already initiated',
      'user metrics already exists',
      'shard orders-db-shard-1 is already part of the cluster',
      'collection shop.orders is already sharded',
    ]));
  });

  test('a cluster from the fsyncLock backups: their user (which could lock writes) is dropped; a new maximum age reaches the TTL', () => {
    const { topology, collections } = topologyOf();
    const cluster = fakeClusterFor(topology);
    bootstrap(cluster, topology, scriptsOf(topology, collections));
    // As an earlier version left it: the dump user with the roles of fsyncLock and the balancer.
    cluster.replicaSets.get('orders-db-configsvr')!.users.set('backup', { pwd: 'old', roles: [{ role: 'hostManager', db: 'admin' }] });
    const again = { ...scriptsOf(topology, collections), cluster: clusterScript(topology, collections, 8 * 24 * 3600) };
    expect(bootstrap(cluster, topology, again)).toEqual([
      'dropUser backup@cluster',
      'collMod platform_backups.succeeded at_ttl 691200',
    ]);
    expect(cluster.backupRecords.records).toBe(1);
    expect(cluster.replicaSets.get('orders-db-configsvr')!.users.get('pbm')!.roles).toEqual([
      { role: 'readWrite', db: 'admin' }, { role: 'backup', db: 'admin' }, { role: 'clusterMonitor', db: 'admin' },
      { role: 'restore', db: 'admin' }, { role: 'pbmAnyAction', db: 'admin' }, { role: 'readWrite', db: 'platform_backups' },
    ]);
  });

  test('per-service users: readWrite on their own database only, the password read from its file; a later run re-applies both', () => {
    const { topology, collections } = topologyOf(1, 3);
    const cluster = fakeClusterFor(topology);
    const scripts = scriptsOf(topology, collections);
    bootstrap(cluster, topology, scripts);
    // Names and databases are data: a quote or backslash in them could not end a string (validation refuses them anyway).
    const users = [{ user: 'orders', db: 'orders', passwordFile: '/etc/mongodb/service-users/orders' },
      { user: "we'ird\\", db: 'billing', passwordFile: '/etc/mongodb/service-users/weird' }];
    cluster.files.set(users[0].passwordFile, 'orders-pw');
    cluster.files.set(users[1].passwordFile, 'p\'w"$(id)');
    const env = { ...ENV, MONGO_SERVICE_USERS: JSON.stringify(users) };
    const names = replicaSetsOf(topology).map(rs => rs.name);
    const before = cluster.mutations.length;
    cluster.run(scripts.cluster, { kind: 'router' }, env, names);
    expect(cluster.mutations.slice(before)).toEqual(['createUser orders@cluster', 'createUser we\'ird\\@cluster']);
    const created = cluster.replicaSets.get('orders-db-configsvr')!.users;
    expect(created.get('orders')).toEqual({ pwd: 'orders-pw', roles: [{ role: 'readWrite', db: 'orders' }] });
    expect(created.get("we'ird\\")).toEqual({ pwd: 'p\'w"$(id)', roles: [{ role: 'readWrite', db: 'billing' }] });
    // A rotated Secret and a new database reach the existing user.
    cluster.files.set(users[0].passwordFile, 'rotated');
    const moved = [{ ...users[0], db: 'shop' }];
    cluster.run(scripts.cluster, { kind: 'router' }, { ...ENV, MONGO_SERVICE_USERS: JSON.stringify(moved) }, names);
    expect(created.get('orders')).toEqual({ pwd: 'rotated', roles: [{ role: 'readWrite', db: 'shop' }] });
    // A password file with a final newline is refused with the fix, before any user changes.
    cluster.files.set(users[0].passwordFile, 'pw\n');
    expect(() => cluster.run(scripts.cluster, { kind: 'router' }, env, names)).toThrow(
      /\/etc\/mongodb\/service-users\/orders is empty or begins or ends with whitespace .*recreate the Secret with --from-literal/);
    expect(scripts.cluster).not.toContain('orders-pw');
  });

  test('fewer members per shard: the dropped members leave each replica set configuration', () => {
    const big = topologyOf(1, 5);
    const cluster = fakeClusterFor(big.topology);
    bootstrap(cluster, big.topology, scriptsOf(big.topology, big.collections));
    const small = topologyOf(1, 3);
    expect(bootstrap(cluster, small.topology, scriptsOf(small.topology, small.collections))).toEqual([3, 4].map(m =>
      `rs.remove orders-db-shard-0-${m}.orders-db-shard-0.shop.svc.cluster.local:27017`));
    expect(cluster.replicaSets.get('orders-db-shard-0')!.members).toHaveLength(3);
  });

  test('a shrink that leaves no majority (7 → 3) is refused with the procedure', () => {
    const big = topologyOf(1, 7);
    const cluster = fakeClusterFor(big.topology);
    bootstrap(cluster, big.topology, scriptsOf(big.topology, big.collections));
    const small = topologyOf(1, 3);
    expect(() => bootstrap(cluster, small.topology, scriptsOf(small.topology, small.collections)))
      .toThrow('orders-db-shard-0: 3 of its 7 configured members remain, not a majority: no primary can remove the others. Shrink in steps that keep a majority');
  });

  test('fewer shards without draining: refused, the shard still owns data', () => {
    const three = topologyOf(3, 3);
    const cluster = fakeClusterFor(three.topology);
    bootstrap(cluster, three.topology, scriptsOf(three.topology, three.collections));
    const two = topologyOf(2, 3);
    expect(() => bootstrap(cluster, two.topology, scriptsOf(two.topology, two.collections)))
      .toThrow('shards orders-db-shard-2 are registered but no longer declared: their data is unreachable. Raise shards to declare them again, drain them with kubernetes.drainingShards');
    expect(cluster.shards).toContain('orders-db-shard-2');
  });

  test('draining a shard: removeShard until completed, its databases moved; then lowering shards changes nothing', () => {
    const three = topologyOf(3, 3);
    const cluster = fakeClusterFor(three.topology);
    bootstrap(cluster, three.topology, scriptsOf(three.topology, three.collections));
    cluster.primaryOn.set('orders-db-shard-2', ['reports']);
    const draining = topologyOf(3, 3, undefined, 1);
    expect(draining.topology.draining).toEqual(['orders-db-shard-2']);
    expect(bootstrap(cluster, draining.topology, scriptsOf(draining.topology, draining.collections))).toEqual([
      'removeShard orders-db-shard-2 started', 'movePrimary reports orders-db-shard-0', 'removeShard orders-db-shard-2 completed',
    ]);
    expect(bootstrap(cluster, draining.topology, scriptsOf(draining.topology, draining.collections))).toEqual([]);
    const two = topologyOf(2, 3);
    expect(bootstrap(cluster, two.topology, scriptsOf(two.topology, two.collections))).toEqual([]);
    expect(cluster.shards).toEqual(['orders-db-shard-0', 'orders-db-shard-1']);
  });

  test('a grown topology adds only what is new: members, a shard, a collection', () => {
    const before = topologyOf(3, 3);
    const after = topologyOf(4, 5, { 'shop.orders': MongoShardKey.hashed('customerId'), 'shop.carts': undefined });
    // One cluster that knows every host of the larger topology, bootstrapped small first.
    const grown = fakeClusterFor(after.topology);
    bootstrap(grown, before.topology, scriptsOf(before.topology, before.collections));

    const changes = bootstrap(grown, after.topology, scriptsOf(after.topology, after.collections));
    const newMembers = [0, 1, 2].flatMap(i => [3, 4].map(m => `rs.add orders-db-shard-${i}-${m}.orders-db-shard-${i}.shop.svc.cluster.local:27017`));
    expect(changes).toEqual([
      ...newMembers.slice(0, 2), ...newMembers.slice(2, 4), ...newMembers.slice(4, 6),
      'rs.initiate orders-db-shard-3 5 members',
      'createUser clusteradmin@orders-db-shard-3',
      'createUser metrics@orders-db-shard-3',
      'createRole pbmAnyAction@orders-db-shard-3',
      'createUser pbm@orders-db-shard-3',
      'sh.addShard orders-db-shard-3',
      'sh.shardCollection shop.carts {"_id":"hashed"}',
    ]);
    expect(bootstrap(grown, after.topology, scriptsOf(after.topology, after.collections))).toEqual([]);
  });

  test('initiation waits for every member, and fails rather than initiate without one', () => {
    const { topology, collections } = topologyOf(1, 3);
    const scripts = scriptsOf(topology, collections);
    const cluster = fakeClusterFor(topology);
    const missing = topology.shards[0].members[2];
    cluster.down.add(missing);
    expect(() => bootstrap(cluster, topology, scripts)).toThrow(`timed out waiting for member ${missing}`);
    expect(cluster.mutations).toEqual(['rs.initiate orders-db-configsvr (configsvr) 3 members']);
  });

  test('replica-set steps log in as the cluster with the keyfile (whitespace stripped) before touching anything', () => {
    const { topology, collections } = topologyOf(1, 3);
    const scripts = scriptsOf(topology, collections);
    const names = replicaSetsOf(topology).map(rs => rs.name);
    const member = { kind: 'member' as const, host: topology.configServers.members[0] };
    const env = { ...ENV, REPLICA_SET: topology.configServers.name };

    const wrongKey = fakeClusterFor(topology);
    wrongKey.mountedKeyfile = 'not-the-members-key';
    expect(() => wrongKey.run(scripts.initiate, member, env, names)).toThrow('Authentication failed.');

    const noLogin = fakeClusterFor(topology);
    expect(() => noLogin.run(scripts.initiate.replace(/^authenticateAsCluster\(\);$/m, ''), member, env, names)).toThrow(/requires authentication/);
    expect(wrongKey.mutations).toEqual([]);
    expect(noLogin.mutations).toEqual([]);
  });
});

describe('init driver: run by sh with a fake mongosh on PATH', () => {
  function runDriver(fakeMongosh: string, extraEnv: Record<string, string> = {}) {
    const { topology } = topologyOf(2, 3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mongo-init-driver-'));
    try {
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'mongosh'), `#!/bin/sh\necho "$REPLICA_SET|$*" >> "${dir}/calls"\n${fakeMongosh}\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(bin, 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'init.sh'), initDriverScript(topology, '/scripts'));
      const run = spawnSync('sh', [path.join(dir, 'init.sh')], {
        encoding: 'utf-8',
        env: { PATH: `${bin}:/usr/bin:/bin`, STATE: dir, MONGO_ADMIN_PASSWORD: 'a', MONGO_MONITOR_PASSWORD: 'm', MONGO_BACKUP_PASSWORD: 'b', ...extraEnv },
        timeout: 60_000,
      });
      const calls = fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf-8').trim().split('\n') : [];
      return { run, calls, topology };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('runs initiate, configure per replica set, then the cluster step through mongos', () => {
    const { run, calls, topology } = runDriver('exit 0');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('sharded cluster orders-db is ready');
    expect(calls.map(c => `${c.split('|')[0]}|${c.split('--file ')[1]}`)).toEqual([
      ...replicaSetsOf(topology).flatMap(rs => [`${rs.name}|/scripts/${INIT_FILES.initiate}`, `${rs.name}|/scripts/${INIT_FILES.configure}`]),
      `|/scripts/${INIT_FILES.cluster}`,
    ]);
    expect(calls[calls.length - 1]).toContain('mongodb://orders-db.shop.svc.cluster.local:27017/?authSource=admin');
  });

  test('initiates through the next member when the first does not answer', () => {
    const { run, calls, topology } = runDriver('case "$2" in *orders-db-shard-1-0.*directConnection*) exit 1 ;; esac; exit 0');
    expect(run.status).toBe(0);
    const shard1 = calls.filter(c => c.startsWith('orders-db-shard-1|') && c.includes(INIT_FILES.initiate));
    expect(shard1.map(c => /mongodb:\/\/([^/]+)\//.exec(c)![1])).toEqual(topology.shards[1].members.slice(0, 2));
  });

  test('retries a failing step (routers still starting), and gives up after 60 attempts', () => {
    const flaky = runDriver('case "$*" in *cluster.js*) n=$(cat "$STATE/n" 2>/dev/null || echo 0); echo $((n + 1)) > "$STATE/n"; [ "$n" -ge 2 ] || exit 1 ;; esac; exit 0');
    expect(flaky.run.status).toBe(0);
    expect(flaky.calls.filter(c => c.includes(INIT_FILES.cluster))).toHaveLength(3);
    const broken = runDriver('case "$*" in *cluster.js*) exit 1 ;; esac; exit 0');
    expect(broken.run.status).not.toBe(0);
    expect(broken.run.stderr).toContain('giving up after 60 attempts');
    expect(broken.calls.filter(c => c.includes(INIT_FILES.cluster))).toHaveLength(60);
  });
});
