/**
 * Names and addresses of every replica set and router of a Kubernetes-rendered cluster. Pure: the
 * init scripts, the manifests and the tests all derive hosts from here, so they cannot disagree.
 */

export const MONGO_PORT = 27017;
/** Where every pod mounts the CA certificate of the cluster's TLS Secret. */
export const TLS_CA_FILE = '/etc/mongodb/tls/ca.crt';

/** One replica set: the config servers or a shard. */
export interface ReplicaSetTopology {
  /** Replica set name, also the StatefulSet, headless Service and shard name. */
  readonly name: string;
  /** `configsvr` or `shardsvr`, as in `mongod --configsvr` / `--shardsvr`. */
  readonly role: 'configsvr' | 'shardsvr';
  /** `host:port` of each member, in member order. */
  readonly members: string[];
}

/** The whole cluster. */
export interface MongoTopology {
  readonly clusterName: string;
  readonly namespace: string;
  readonly tls: boolean;
  readonly configServers: ReplicaSetTopology;
  readonly shards: ReplicaSetTopology[];
  /** Names of the shards being drained (`removeShard`) before their StatefulSets go: the last ones. */
  readonly draining: string[];
  /** Name of the mongos Deployment. */
  readonly routerDeployment: string;
  /** `host:port` of the mongos Service (the cluster's endpoint). */
  readonly router: string;
}

/** Builds the topology of a cluster named `clusterName` in `namespace`. */
export function mongoTopology(
  clusterName: string, namespace: string, shards: number, membersPerShard: number, configServers: number, tls: boolean, drainingShards = 0,
): MongoTopology {
  const replicaSet = (name: string, role: ReplicaSetTopology['role'], size: number): ReplicaSetTopology => ({
    name,
    role,
    members: Array.from({ length: size }, (_, i) => `${name}-${i}.${name}.${namespace}.svc.cluster.local:${MONGO_PORT}`),
  });
  return {
    clusterName,
    namespace,
    tls,
    configServers: replicaSet(`${clusterName}-configsvr`, 'configsvr', configServers),
    shards: Array.from({ length: shards }, (_, i) => replicaSet(`${clusterName}-shard-${i}`, 'shardsvr', membersPerShard)),
    draining: Array.from({ length: Math.min(drainingShards, shards) }, (_, i) => `${clusterName}-shard-${shards - 1 - i}`).reverse(),
    routerDeployment: `${clusterName}-mongos`,
    router: `${clusterName}.${namespace}.svc.cluster.local:${MONGO_PORT}`,
  };
}

/** Every replica set, config servers first (they must exist before any shard joins). */
export function replicaSetsOf(topology: MongoTopology): ReplicaSetTopology[] {
  return [topology.configServers, ...topology.shards];
}

/** Connection options every in-cluster client adds: TLS with the cluster CA when TLS is on. */
export function tlsQuery(tls: boolean): string {
  return tls ? `&tls=true&tlsCAFile=${TLS_CA_FILE}` : '';
}

/** URI of one member, bypassing replica-set discovery (to initiate it). */
export function directUri(host: string, tls: boolean): string {
  return `mongodb://${host}/?directConnection=true&serverSelectionTimeoutMS=5000${tlsQuery(tls)}`;
}

/** URI of a replica set (reaches its primary). */
export function replicaSetUri(replicaSet: ReplicaSetTopology, tls: boolean): string {
  return `mongodb://${replicaSet.members.join(',')}/?replicaSet=${replicaSet.name}&serverSelectionTimeoutMS=15000${tlsQuery(tls)}`;
}

/** URI of the routers, without credentials. */
export function routerUri(topology: MongoTopology): string {
  return `mongodb://${topology.router}/?authSource=admin&serverSelectionTimeoutMS=15000${tlsQuery(topology.tls)}`;
}

/**
 * The names the members' TLS certificate must cover: every member, the routers' Service, and
 * localhost (probes and exporters connect over loopback).
 */
export function tlsDnsNames(topology: MongoTopology): string[] {
  const hostOf = (member: string) => member.slice(0, member.lastIndexOf(':'));
  return [
    ...replicaSetsOf(topology).flatMap(rs => rs.members.map(hostOf)),
    hostOf(topology.router),
    `${topology.clusterName}.${topology.namespace}.svc`,
    `${topology.clusterName}.${topology.namespace}`,
    topology.clusterName,
    'localhost',
  ];
}
