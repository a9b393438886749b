import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Chart } from 'cdk8s';
import { CacheCluster, CacheClusterMode, CacheClusterProps, CacheEngine, EvictionPolicy } from '../../src/cache-cluster';
import { PlatformSecret } from '../../src/platform/secret';
import { awsStack, kubernetesChart } from '../util';

const targets: Array<[string, () => Stack | Chart]> = [['aws', () => awsStack()], ['kubernetes', () => kubernetesChart()]];
const CLUSTER = CacheClusterMode.CLUSTER;

function create(scope: Stack | Chart, props: CacheClusterProps) {
  return () => new CacheCluster(scope, 'Sessions', props);
}

describe.each(targets)('CacheCluster validation on %s', (_target, scope) => {
  test.each([
    ['too many replicas', { replicas: 6 },
      /Sessions: replicas is out of range \(got 6\): use an integer from 0 to 5 replicas per primary, ElastiCache's limit, on both targets/],
    ['fractional replicas', { replicas: 1.5 }, /replicas is out of range \(got 1.5\)/],
    ['shards in replication mode', { shards: 4 },
      /Sessions: shards is only used in cluster mode \(got 4\): set mode: CacheClusterMode.CLUSTER to shard the keyspace, or remove shards/],
    ['too many shards', { mode: CLUSTER, shards: 501 }, /shards is out of range \(got 501\): use an integer from 1 to 500 \(ElastiCache's node group limit\)/],
    ['zero shards', { mode: CLUSTER, shards: 0 }, /shards is out of range \(got 0\)/],
    ['failover without replicas', { replicas: 0 },
      /Sessions: replicas must be at least 1 with automaticFailover \(got 0\): set replicas ≥ 1 \(a failover promotes a replica\), or automaticFailover: false/],
    ['persistence off with failover on', { persistence: false },
      /Sessions: persistence cannot be off while automaticFailover is on \(got false\): keep persistence: a primary restarted empty .* would copy the empty data set/],
    ['cluster mode without failover', { mode: CLUSTER, automaticFailover: false },
      /automaticFailover cannot be false in cluster mode \(got false\): remove it: ElastiCache requires failover in cluster mode/],
    ['unknown eviction policy', { evictionPolicy: EvictionPolicy.of('lru') },
      /Sessions: evictionPolicy is not a Redis eviction policy \(got "lru"\): use one of noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl/],
    ['privileged port', { port: 80 }, /Sessions: port is out of range \(got 80\): use an integer from 1024 to 65535/],
    ['cluster bus beyond 65535', { mode: CLUSTER, port: 60000 }, /port is out of range \(got 60000\): use an integer from 1024 to 55535 \(the cluster bus listens on port \+ 10000\)/],
    ['name not a DNS label', { cacheName: 'Sessions_Cache' }, /Sessions: cacheName is not a DNS label of at most 40 characters \(got "Sessions_Cache"\)/],
    ['name too long', { cacheName: 'a'.repeat(41) }, /cacheName is not a DNS label of at most 40 characters/],
  ])('%s', (_name, props, message) => {
    expect(create(scope(), props as CacheClusterProps)).toThrow(message);
  });

  test('every problem is reported at once', () => {
    expect(create(scope(), { replicas: 9, evictionPolicy: EvictionPolicy.of('x') })).toThrow(/2 problems:\n {2}- .*replicas is out of range.*\n {2}- .*evictionPolicy/);
  });

  test('valid edge cases render', () => {
    expect(create(scope(), { automaticFailover: false, persistence: false, replicas: 0 })).not.toThrow();
    expect(create(scope(), { mode: CLUSTER, shards: 3, replicas: 5 })).not.toThrow();
  });
});

describe('AWS-only validation', () => {
  test.each([
    ['node type', { aws: { nodeType: 'r7g.large' } }, /Sessions: aws.nodeType is not an ElastiCache node type \(got "r7g.large"\): use cache.<family>.<size>/],
    ['engine version of another major', { aws: { engineVersion: '6.2' } }, /aws.engineVersion is not a redis 7.x version \(got "6.2"\)/],
    ['retention beyond 35 days', { aws: { snapshotRetentionDays: 36 } }, /aws.snapshotRetentionDays is out of range \(got 36\): use an integer from 0 to 35/],
    ['no snapshots while persistence is on', { aws: { snapshotRetentionDays: 0 } }, /aws.snapshotRetentionDays must be at least 1 while persistence is on \(got 0\)/],
    ['snapshots without persistence', { automaticFailover: false, persistence: false, aws: { snapshotRetentionDays: 3 } },
      /aws.snapshotRetentionDays must be 0 when persistence is off \(got 3\)/],
    ['short snapshot window', { aws: { snapshotWindow: '03:00-03:30' } }, /aws.snapshotWindow is not a UTC window of at least 60 minutes \(got "03:00-03:30"\)/],
    ['malformed maintenance window', { aws: { maintenanceWindow: 'sunday 5am' } }, /aws.maintenanceWindow is not a weekly UTC window of at least 60 minutes \(got "sunday 5am"\)/],
    ['overlapping windows', { aws: { maintenanceWindow: 'tue:04:00-tue:06:00' } },
      /aws.maintenanceWindow overlaps the snapshot window \(got "tue:04:00-tue:06:00 \/ 03:00-05:00"\): ElastiCache rejects overlapping windows/],
    ['token and RBAC together', { auth: PlatformSecret.named('a', 'b'), aws: { userGroupId: 'users' } }, /auth cannot be combined with aws.userGroupId \(got "users"\)/],
    ['double hyphen', { cacheName: 'a--b' }, /cacheName contains two consecutive hyphens \(got "a--b"\)/],
  ])('%s', (_name, props, message) => {
    expect(create(awsStack(), props as CacheClusterProps)).toThrow(message);
    expect(create(kubernetesChart(), { ...props, aws: undefined, auth: undefined } as CacheClusterProps)).not.toThrow(/aws\./);
  });
});

describe('Kubernetes-only validation', () => {
  test.each([
    ['an even Sentinel count', { kubernetes: { sentinels: 4 } },
      /Sessions: kubernetes.sentinels must be an odd number from 3 to 9 \(got 4\): failover needs a majority of Sentinels/],
    ['fewer than three Sentinels', { kubernetes: { sentinels: 1 } }, /kubernetes.sentinels must be an odd number from 3 to 9 \(got 1\)/],
    ['Sentinels where none run', { mode: CLUSTER, kubernetes: { sentinels: 3 } }, /kubernetes.sentinels is only used in replication mode with automatic failover \(got 3\)/],
    ['a cluster of fewer than 3 shards', { mode: CLUSTER, shards: 2 },
      /Sessions: shards must be at least 3 in cluster mode on kubernetes \(got 2\): Redis Cluster promotes a replica only with the votes of a majority of primaries/],
    ['Valkey', { engine: CacheEngine.VALKEY_8 }, /Sessions: engine is not supported on kubernetes \(got "valkey 8.0"\): use CacheEngine.REDIS_7/],
    ['unpinned image', { kubernetes: { image: 'redis:latest' } }, /kubernetes.image is not pinned \(got "redis:latest"\)/],
    ['unpinned proxy image', { kubernetes: { proxyImage: 'haproxy' } }, /kubernetes.proxyImage is not pinned \(got "haproxy"\)/],
    ['port taken by Sentinel', { port: 26379 }, /port collides with a port the cache uses on kubernetes \(got 26379\)/],
    ['tiny memory', { kubernetes: { memory: Size.mebibytes(32) } }, /kubernetes.memory is too small \(got "32 MiB"\)/],
    ['tiny storage', { kubernetes: { storage: Size.mebibytes(512) } }, /kubernetes.storage is too small \(got "512 MiB"\)/],
    ['failure detection too short', { kubernetes: { failureDetection: Duration.millis(200) } }, /kubernetes.failureDetection is out of range \(got 200\): use 1-60 seconds/],
    ['root user', { kubernetes: { runAsUser: 0 } }, /kubernetes.runAsUser must be a non-root user id \(got 0\)/],
    ['no proxy', { kubernetes: { proxyReplicas: 0 } }, /kubernetes.proxyReplicas is out of range \(got 0\)/],
  ])('%s', (_name, props, message) => {
    expect(create(kubernetesChart(), props as CacheClusterProps)).toThrow(message);
    expect(create(awsStack(), { ...props, kubernetes: undefined } as CacheClusterProps)).not.toThrow(/kubernetes/);
  });

  test('a Secrets Manager secret cannot be the password on Kubernetes', () => {
    const secret = secretsmanager.Secret.fromSecretNameV2(awsStack(), 'S', 'x');
    expect(create(kubernetesChart(), { auth: PlatformSecret.fromSecretsManager(secret) }))
      .toThrow(/Sessions: auth is a Secrets Manager secret, which is not supported on kubernetes: use PlatformSecret.named/);
  });
});
