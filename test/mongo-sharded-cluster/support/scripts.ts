import { spawnSync } from 'child_process';
import * as vm from 'vm';
import { FakeCluster } from './fake-mongosh';
import { MongoShardKey } from '../../../src/mongo-sharded-cluster';
import { clusterScript, replicaSetConfigureScript, replicaSetInitiateScript } from '../../../src/mongo-sharded-cluster/mongo-init';
import { resolveMongoShardedClusterSpec } from '../../../src/mongo-sharded-cluster/spec';
import { mongoTopology, MongoTopology, replicaSetsOf } from '../../../src/mongo-sharded-cluster/topology';

export const KEYFILE = 'c2VjcmV0LWtleWZpbGUtY29udGVudHM=\n  bW9yZS1rZXk=\n';
export const ENV = {
  MONGO_KEYFILE: '/etc/mongodb/keyfile-secret/keyfile',
  MONGO_ADMIN_USER: 'clusteradmin',
  MONGO_ADMIN_PASSWORD: 'admin-pw',
  MONGO_MONITOR_PASSWORD: 'monitor-pw',
  MONGO_BACKUP_PASSWORD: 'backup-pw',
};

/** A topology and collections as the construct would resolve them. */
export function topologyOf(
  shards = 3, members = 3, collections: Record<string, MongoShardKey | undefined> = { 'shop.orders': MongoShardKey.hashed('customerId') }, drainingShards = 0,
) {
  const spec = resolveMongoShardedClusterSpec('orders-db', {
    shardedCollections: Object.keys(collections),
    shardKeys: Object.fromEntries(Object.entries(collections).filter(([, k]) => k).map(([ns, k]) => [ns, k!])),
  });
  return { topology: mongoTopology('orders-db', 'shop', shards, members, 3, true, drainingShards), collections: spec.collections };
}

export function scriptsOf(topology: MongoTopology, collections: ReturnType<typeof topologyOf>['collections']) {
  return {
    initiate: replicaSetInitiateScript(topology),
    configure: replicaSetConfigureScript(topology),
    cluster: clusterScript(topology, collections),
  };
}

/** A fake cluster whose hosts are those of `topology`. */
export function fakeClusterFor(topology: MongoTopology): FakeCluster {
  const hosts = new Map(replicaSetsOf(topology).map(rs => [rs.name, rs.members]));
  return new FakeCluster(KEYFILE, name => hosts.get(name) ?? []);
}

/** Plays the init Job's driver: every replica set (initiate, configure), then the cluster step. */
export function bootstrap(cluster: FakeCluster, topology: MongoTopology, scripts: ReturnType<typeof scriptsOf>): string[] {
  const before = cluster.mutations.length;
  const names = replicaSetsOf(topology).map(rs => rs.name);
  for (const rs of replicaSetsOf(topology)) {
    const env = { ...ENV, REPLICA_SET: rs.name };
    const reachable = rs.members.find(host => !cluster.down.has(host));
    cluster.run(scripts.initiate, { kind: 'member', host: reachable! }, env, names);
    cluster.run(scripts.configure, { kind: 'replicaSet', name: rs.name }, env, names);
  }
  cluster.run(scripts.cluster, { kind: 'router' }, ENV, names);
  return cluster.mutations.slice(before);
}

/** Parses `script` as JavaScript without running it (mongosh scripts are plain JavaScript). */
export function parseJavaScript(script: string): void {
  new vm.Script(script, { filename: 'generated.js' });
}

/** `sh -n` (dash) and `bash -n`: exit status and stderr of each. */
export function shellSyntax(script: string): Array<{ shell: string; status: number | null; stderr: string }> {
  return ['sh', 'bash'].map(shell => {
    const run = spawnSync(shell, ['-n'], { input: script, encoding: 'utf-8' });
    return { shell, status: run.status, stderr: run.stderr };
  });
}
