import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CacheAccess, CacheCluster, CacheClusterMode, EvictionPolicy } from '../../src/cache-cluster';
import { BackupTarget } from '../../src/platform/backup-target';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';

/**
 * A storefront's two caches, written once. `sessions` keeps shopping carts (replication mode: one
 * primary, two replicas, automatic failover, nothing evicted); `catalog-cache` spreads product pages
 * over three shards (cluster mode, LFU eviction). `sessions` keeps the default AUTH password: generated
 * in Secrets Manager on AWS, the Secret `sessions-auth` (created by External Secrets) on Kubernetes.
 * `catalog-cache` names its secret, which then means the same name on both targets.
 *
 * Backups: on AWS ElastiCache's daily snapshots (7 days). On Kubernetes `sessions` snapshots daily to
 * a retained volume; `catalog-cache` every 6 hours, from a replica of each shard, to an S3 bucket.
 *
 * The services connect with their own least-privilege users (`connect`): `cart` reads and writes
 * keys under `cart:`; `catalog` keys under the hash tag `{catalog}:`, and `search` may only read them.
 * Each gets `<CACHE>_HOST`, `_PORT`, `_TLS`, `_CLUSTER_MODE`, `_USERNAME`, `_KEY_PREFIX` and its
 * `_PASSWORD` from a secret: a Redis ACL user on every node on Kubernetes, an ElastiCache RBAC user on AWS.
 *
 * Under a Stack: ElastiCache replication groups (Multi-AZ, TLS, KMS, snapshots) and Fargate services
 * admitted by security-group rules. Under a Chart: Redis StatefulSets with Sentinels and an HAProxy
 * primary endpoint, a Redis Cluster with its setup Job, Deployments, and NetworkPolicies.
 */
export function defineCacheCluster(scope: Construct): void {
  const sessions = new CacheCluster(scope, 'Sessions', {
    mode: CacheClusterMode.REPLICATION,
    replicas: 2,
    evictionPolicy: EvictionPolicy.NO_EVICTION,
  });
  const cart = new ServiceCluster(scope, 'Cart', { image: 'ghcr.io/acme/cart:2.3.0' });
  sessions.connect(cart);

  const catalogCache = new CacheCluster(scope, 'CatalogCache', {
    mode: CacheClusterMode.CLUSTER,
    shards: 3,
    replicas: 1,
    evictionPolicy: EvictionPolicy.ALLKEYS_LFU,
    auth: PlatformSecret.named('storefront-catalog-cache-auth', 'password'),
    kubernetes: {
      backup: {
        schedule: '0 */6 * * *',
        maxAge: Duration.hours(7),
        target: BackupTarget.s3({
          bucket: 'acme-storefront-backups',
          prefix: 'redis/catalog-cache/',
          region: 'eu-west-1',
          accessKeyId: PlatformSecret.named('storefront-backup-s3', 'access-key-id'),
          secretAccessKey: PlatformSecret.named('storefront-backup-s3', 'secret-access-key'),
        }),
      },
    },
  });
  const catalog = new ServiceCluster(scope, 'Catalog', { image: 'ghcr.io/acme/catalog:3.2.1' });
  catalogCache.connect(catalog, { keyPrefix: '{catalog}:' });
  const search = new ServiceCluster(scope, 'Search', { image: 'ghcr.io/acme/search:1.0.4' });
  catalogCache.connect(search, { keyPrefix: '{catalog}:', access: CacheAccess.READ_ONLY });
}
