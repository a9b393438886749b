/**
 * How the cache spreads data: one primary with replicas, or shards over the 16384 hash slots.
 */
export enum CacheClusterMode {
  /** One primary and N replicas; clients talk to the primary (writes) through one stable endpoint. */
  REPLICATION = 'replication',
  /** S shards × (1 + R) nodes over the 16384 hash slots; clients must follow MOVED/ASK redirects. */
  CLUSTER = 'cluster',
}

/**
 * The key-value engine and its pinned major version.
 *
 * Redis 7 renders on both targets (ElastiCache Redis OSS 7.1; the `redis:7.4` image on Kubernetes).
 * Valkey is offered by ElastiCache only.
 */
export class CacheEngine {
  /** Redis OSS 7 (ElastiCache engine version 7.1). */
  public static readonly REDIS_7 = new CacheEngine('redis', '7.1', 'redis7', true);
  /** Valkey 7.2 (AWS only). */
  public static readonly VALKEY_7 = new CacheEngine('valkey', '7.2', 'valkey7', false);
  /** Valkey 8.0 (AWS only). */
  public static readonly VALKEY_8 = new CacheEngine('valkey', '8.0', 'valkey8', false);

  private constructor(
    /** ElastiCache engine name (`redis` or `valkey`). */
    public readonly engineName: string,
    /** ElastiCache engine version used unless `aws.engineVersion` overrides it. */
    public readonly defaultAwsVersion: string,
    /** ElastiCache parameter group family. */
    public readonly parameterGroupFamily: string,
    /** Whether the Kubernetes rendering supports this engine. */
    public readonly availableOnKubernetes: boolean,
  ) {}

  /** The major version, e.g. `7`. */
  public get majorVersion(): string {
    return this.defaultAwsVersion.split('.')[0];
  }
}

const KNOWN_POLICIES = [
  'noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random',
  'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
] as const;

/**
 * What Redis does when memory is full (`maxmemory-policy`).
 */
export class EvictionPolicy {
  /** Refuse writes when memory is full: for data that must never be dropped. */
  public static readonly NO_EVICTION = new EvictionPolicy('noeviction');
  /** Evict the least recently used keys: a pure cache. */
  public static readonly ALLKEYS_LRU = new EvictionPolicy('allkeys-lru');
  /** Evict the least frequently used keys: a cache with a stable hot set. */
  public static readonly ALLKEYS_LFU = new EvictionPolicy('allkeys-lfu');
  /** Evict random keys. */
  public static readonly ALLKEYS_RANDOM = new EvictionPolicy('allkeys-random');
  /** Evict the least recently used keys that have a TTL (ElastiCache's default). */
  public static readonly VOLATILE_LRU = new EvictionPolicy('volatile-lru');
  /** Evict the least frequently used keys that have a TTL. */
  public static readonly VOLATILE_LFU = new EvictionPolicy('volatile-lfu');
  /** Evict random keys that have a TTL. */
  public static readonly VOLATILE_RANDOM = new EvictionPolicy('volatile-random');
  /** Evict the keys with a TTL that expire soonest. */
  public static readonly VOLATILE_TTL = new EvictionPolicy('volatile-ttl');

  /** A policy by its Redis name; the construct rejects names Redis does not know. */
  public static of(policyName: string): EvictionPolicy {
    return new EvictionPolicy(policyName);
  }

  /** Every policy name Redis 7 knows. */
  public static knownPolicyNames(): string[] {
    return [...KNOWN_POLICIES];
  }

  private constructor(
    /** The `maxmemory-policy` value. */
    public readonly policyName: string,
  ) {}

  /** Whether Redis knows this policy. */
  public get isKnown(): boolean {
    return (KNOWN_POLICIES as readonly string[]).includes(this.policyName);
  }
}
