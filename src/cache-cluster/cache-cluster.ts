import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CacheConnectOptions } from './access';
import { renderCacheClusterOnAws } from './aws';
import { cacheMetric, memberClusterIds } from './aws-metrics';
import { CacheHandle } from './cache-handle';
import { CacheConnections } from './connect';
import { CacheClusterMode } from './engine';
import { renderCacheClusterOnKubernetes } from './kubernetes';
import { CacheMetricOptions } from './metric-options';
import { cachePortableMetric } from './metrics';
import { CacheClusterProps } from './props';
import { CacheClusterAwsResources, CacheClusterKubernetesResources } from './resources';
import { CacheClusterSpec, resolveCacheClusterSpec } from './spec';
import { cacheClusterWarnings, validateCacheCluster } from './validation';
import { AccessPurpose, allowClientOrMetricsFrom, AllowFromOptions } from '../platform/access-purpose';
import { CloudWatchSource } from '../platform/cloudwatch-source';
import { Endpoint } from '../platform/endpoint';
import { PlatformValidationError, throwIfInvalid } from '../platform/errors';
import { MetricsSource } from '../platform/metrics';
import { dnsLabelFromId } from '../platform/names';
import { INetworkPeer } from '../platform/network';
import { IPlatformClient } from '../platform/platform-client';
import { metricNotOnTarget, PlatformMetric, prometheusSeries } from '../platform/platform-metric';
import { PlatformProfile } from '../platform/profile';
import { IRedisConnection } from '../platform/redis-connection';
import { PlatformSecret } from '../platform/secret';
import { PlatformTarget } from '../platform/target';
import { PlatformTopology } from '../platform/topology';
import { platformWarning } from '../platform/warnings';

/**
 * Redis with replicas and automatic failover, or sharded cluster mode.
 *
 * Under an aws-cdk-lib `Stack` it renders an ElastiCache replication group (Multi-AZ failover, TLS,
 * KMS at rest, AUTH token in Secrets Manager, snapshots). Under a cdk8s `Chart` it renders plain
 * manifests: a Redis StatefulSet with PersistentVolumeClaims and redis_exporter; in replication mode
 * three Sentinels and an HAProxy Deployment behind the stable primary Service; in cluster mode a
 * Job that creates the cluster and rebalances slots when shards are added.
 *
 * Subclass it to set organisation-wide defaults (`applyDefaults`) or to adjust what is rendered
 * (`configureAws`, `configureKubernetes`).
 */
export class CacheCluster extends Construct implements IRedisConnection {
  /** Name in DNS and metrics. */
  public readonly cacheName: string;
  /** Which target this cache rendered to. */
  public readonly target: PlatformTarget;
  /** Replication or cluster mode. */
  public readonly mode: CacheClusterMode;
  /**
   * Where clients connect: the primary (replication mode) or the cluster entry point (cluster mode).
   * `sentinelEndpoint` is the secondary one, for Sentinel-aware clients.
   */
  public readonly endpoint: Endpoint;
  /**
   * The same object as `endpoint` (and what `IRedisConnection` consumers such as a gateway's
   * rate-limit store read).
   *
   * @deprecated use `endpoint`
   */
  public readonly redisEndpoint: Endpoint;
  /**
   * The AUTH password, a reference (Secrets Manager on AWS, a Secret key on Kubernetes).
   *
   * @default undefined when an RBAC user group authenticates clients (aws.userGroupId)
   */
  public readonly redisPassword?: PlatformSecret;
  /** Whether clients must connect with TLS: always on AWS; on Kubernetes unless `kubernetes.tls` is false. */
  public readonly redisTls: boolean;
  /**
   * The CA that signed the nodes' certificate (key `ca.crt` of the TLS Secret), for clients to verify it.
   *
   * @default undefined on AWS (ElastiCache's certificate is publicly trusted) and without TLS
   */
  public readonly redisTlsCa?: PlatformSecret;
  /** Whether clients must follow MOVED/ASK redirects. */
  public readonly redisClusterMode: boolean;
  /**
   * The Sentinels, for Sentinel-aware clients (Kubernetes, replication mode with automatic failover).
   *
   * @default undefined elsewhere
   */
  public readonly sentinelEndpoint?: Endpoint;
  /**
   * Prometheus metrics of every Redis node (redis_exporter), for the observability stack.
   *
   * @default undefined on AWS: ElastiCache has no Prometheus endpoint; the portable `metricMemoryUtilization()`,
   * `metricEngineCpuUtilization()` and `metricEvictionRate()` read CloudWatch there
   */
  public readonly metricsSource?: MetricsSource;
  /** AWS resources; undefined on Kubernetes. */
  public readonly aws?: CacheClusterAwsResources;
  /** Kubernetes objects; undefined on AWS. */
  public readonly kubernetes?: CacheClusterKubernetesResources;
  private readonly handle: CacheHandle<unknown>;
  private readonly spec: CacheClusterSpec;
  private readonly connections = new CacheConnections(this);

  constructor(scope: Construct, id: string, props: CacheClusterProps = {}) {
    super(scope, id);
    this.target = PlatformTarget.of(this);
    const effective = this.applyDefaults(props);
    const spec = resolveCacheClusterSpec(effective.cacheName ?? dnsLabelFromId(id), effective, this.target, PlatformProfile.of(this));
    throwIfInvalid(validateCacheCluster(this, spec, this.target));
    cacheClusterWarnings(spec, this.target).forEach(w => platformWarning(this, w.id, w.message));
    this.spec = spec;
    this.cacheName = spec.name;
    this.mode = spec.mode;

    if (this.target === PlatformTarget.AWS) {
      const handle = renderCacheClusterOnAws(this, spec, effective.port !== undefined);
      this.aws = handle.resources;
      this.handle = handle;
      this.configureAws(handle.resources, effective);
    } else {
      const handle = renderCacheClusterOnKubernetes(this, spec);
      this.kubernetes = handle.resources;
      this.handle = handle;
      this.configureKubernetes(handle.resources, effective);
    }
    this.endpoint = this.handle.endpoint;
    this.redisEndpoint = this.endpoint;
    this.redisPassword = this.handle.password;
    this.redisTls = this.handle.tls;
    this.redisTlsCa = this.handle.tlsCa;
    this.redisClusterMode = spec.mode === CacheClusterMode.CLUSTER;
    this.sentinelEndpoint = this.handle.sentinelEndpoint;
    this.metricsSource = this.handle.metricsSource;
    PlatformTopology.of(this).addComponent(this, { kind: 'cache', name: spec.name });
    PlatformTopology.of(this).addInternalConnection(this, 'replication between members, Sentinel and the proxy to the members, cluster bus');
  }

  /**
   * Prefix of the environment variables a connected service receives: the cache name in upper
   * snake case, e.g. `ORDERS_CACHE` for `orders-cache`.
   */
  public get environmentPrefix(): string {
    return this.cacheName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  }

  /**
   * Connects `client` with its own least-privilege user, named after `client.serviceName`: keys
   * under `options.keyPrefix` only, the commands of `options.access`, never CONFIG, FLUSHALL,
   * KEYS, SCAN, ACL or other dangerous commands. A Redis ACL user on every node on Kubernetes
   * (password in the Secret `<cacheName>-user-<serviceName>`, key `password`, declared for the
   * secrets provisioner); an ElastiCache RBAC user in a user group that replaces the AUTH token on
   * AWS (password generated in Secrets Manager).
   *
   * Admits the client (`allowFrom`) and gives it `<PREFIX>_HOST`, `_PORT`, `_TLS`, `_CLUSTER_MODE`,
   * `_USERNAME`, `_KEY_PREFIX` and `_PASSWORD` (from the secret, never a value), with `<PREFIX>` the
   * `environmentPrefix`; with TLS on Kubernetes also the CA as a file (`_TLS_CA_FILE`, mounted from
   * the TLS Secret's `ca.crt`). Connecting again with the same options changes nothing; with other options
   * it is refused.
   */
  public connect(client: IPlatformClient, options: CacheConnectOptions = {}): void {
    const { user, isNew } = this.connections.connect(client, options);
    if (!isNew) return;
    const password = this.handle.addUser(user);
    this.allowFrom(client);
    const prefix = this.environmentPrefix;
    client.addEnvironment(`${prefix}_HOST`, this.endpoint.host);
    client.addEnvironment(`${prefix}_PORT`, String(this.endpoint.port));
    client.addEnvironment(`${prefix}_TLS`, String(this.redisTls));
    client.addEnvironment(`${prefix}_CLUSTER_MODE`, String(this.redisClusterMode));
    client.addEnvironment(`${prefix}_USERNAME`, user.userName);
    client.addEnvironment(`${prefix}_KEY_PREFIX`, user.keyPrefix);
    client.addSecret(`${prefix}_PASSWORD`, password);
    if (this.redisTlsCa) client.addEnvironment(`${prefix}_TLS_CA_FILE`, client.addSecretFile(this.redisTlsCa, `/etc/cache-tls/${this.cacheName}`));
  }

  /**
   * Admits `peer` to one purpose's port (security-group rule on AWS, NetworkPolicy on Kubernetes):
   *
   * - `AccessPurpose.CLIENT` (default): the cache's port (`endpoint`; on Kubernetes also the
   *   Sentinels' and the members' ports clients are redirected to), never the metrics port;
   * - `AccessPurpose.METRICS`: the exporters' port alone, for a scraper such as Prometheus
   *   (Kubernetes only: ElastiCache publishes its metrics to CloudWatch).
   */
  public allowFrom(peer: INetworkPeer, options: AllowFromOptions = {}): void {
    allowClientOrMetricsFrom(this, this.handle, peer, options, { client: 'the Redis port', metrics: 'the exporters\' port, Kubernetes only', protocol: 'redis' });
  }

  /**
   * Admits `peer` (e.g. Prometheus) to the exporters' port alone (Kubernetes only).
   *
   * @deprecated use `allowFrom(peer, { purpose: AccessPurpose.METRICS })`
   */
  public allowMetricsFrom(peer: INetworkPeer): void {
    this.allowFrom(peer, { purpose: AccessPurpose.METRICS });
  }

  /** ElastiCache member ids of every node (AWS only), e.g. to alarm on each node. */
  public get memberClusterIds(): string[] {
    this.requireAws('memberClusterIds');
    return memberClusterIds(this.spec);
  }

  /**
   * Any AWS/ElastiCache metric of one node (AWS only; CloudWatch). The portable
   * `metricMemoryUtilization()`, `metricEngineCpuUtilization()` and `metricEvictionRate()` measure
   * the whole cache on both targets, as the cache alerts do, and are what `ObservabilityStack.addAlert`
   * takes; this method and the `metric*()` methods returning a CloudWatch `Metric` stay for one node's
   * ElastiCache metric with your statistic and period.
   */
  public metric(metricName: string, props?: CacheMetricOptions): cloudwatch.Metric {
    this.requireAws('metric');
    return cacheMetric(this.spec, metricName, props?.statistic ?? 'Average', props);
  }

  /** Engine CPU utilization (%) of the Redis thread, one node (AWS only; CloudWatch). Portable, every node: `metricEngineCpuUtilization()`. */
  public metricCpuUtilization(props?: CacheMetricOptions): cloudwatch.Metric {
    return this.named('metricCpuUtilization', 'EngineCPUUtilization', 'Average', props);
  }

  /** Share of maxmemory in use (%), one node (AWS only; CloudWatch). Portable, every node: `metricMemoryUtilization()`. */
  public metricMemoryUsage(props?: CacheMetricOptions): cloudwatch.Metric {
    return this.named('metricMemoryUsage', 'DatabaseMemoryUsagePercentage', 'Average', props);
  }

  /** Keys evicted because memory was full, one node (AWS only; CloudWatch). Portable, every node: `metricEvictionRate()`. */
  public metricEvictions(props?: CacheMetricOptions): cloudwatch.Metric {
    return this.named('metricEvictions', 'Evictions', 'Sum', props);
  }

  /**
   * How far (seconds) a replica is behind its primary; measured on the first replica by default
   * (AWS only; CloudWatch). No portable equivalent: on Kubernetes use `prometheusMetric()`.
   */
  public metricReplicationLag(props?: CacheMetricOptions): cloudwatch.Metric {
    return this.named('metricReplicationLag', 'ReplicationLag', 'Maximum', props, 1);
  }

  /** Client connections, one node (AWS only; CloudWatch). On Kubernetes: `prometheusMetric('redis_connected_clients')`. */
  public metricCurrentConnections(props?: CacheMetricOptions): cloudwatch.Metric {
    return this.named('metricCurrentConnections', 'CurrConnections', 'Maximum', props);
  }

  /** Cache hit rate (%), one node (AWS only; CloudWatch). No portable equivalent. */
  public metricCacheHitRate(props?: CacheMetricOptions): cloudwatch.Metric {
    return this.named('metricCacheHitRate', 'CacheHitRate', 'Average', props);
  }

  /**
   * What the observability stack watches in CloudWatch (AWS only: on Kubernetes redis_exporter is
   * scraped through `metricsSource`). Snapshot failures are ElastiCache events in EventBridge.
   *
   * @internal
   */
  public _cloudWatchSource(): CloudWatchSource | undefined {
    if (this.target !== PlatformTarget.AWS) return undefined;
    const spec = this.spec;
    return {
      kind: 'cache',
      name: spec.name,
      nodeMetrics: (metricName, statistic) => memberClusterIds(spec).map(cacheClusterId =>
        cacheMetric(spec, metricName, statistic, { cacheClusterId, period: Duration.minutes(5) })),
      backupFailedEvents: spec.aws.snapshotRetentionDays > 0
        ? { alert: 'CacheSnapshotFailed', pattern: { source: ['aws.elasticache'], detailType: ['Snapshot Creation Failed'] } }
        : undefined,
    };
  }

  /**
   * Hook: organisation-wide defaults. Receives the caller's props and returns the props to render
   * (the effective props, which the other hooks receive too). Runs first in the base constructor,
   * before validation and before your subclass's field initialisers.
   *
   * @param props the caller's props
   */
  protected applyDefaults(props: CacheClusterProps): CacheClusterProps {
    return props;
  }

  /**
   * Hook: adjusts the AWS resources after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureAws(_resources: CacheClusterAwsResources, _props: CacheClusterProps): void {}

  /**
   * Hook: adjusts the Kubernetes objects after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureKubernetes(_resources: CacheClusterKubernetesResources, _props: CacheClusterProps): void {}

  /**
   * Memory used as a fraction of maxmemory (0–1), as `CacheMemoryHigh` measures it: per node in
   * PromQL on Kubernetes (redis_exporter), the fullest node's DatabaseMemoryUsagePercentage / 100 in
   * CloudWatch on AWS.
   */
  public metricMemoryUtilization(): PlatformMetric {
    return cachePortableMetric('memoryUtilization', this.spec, this.metricsSource?.job);
  }

  /**
   * CPU of the Redis main thread as a fraction of one core (0–1), as `CacheCpuHigh` measures it:
   * per node in PromQL on Kubernetes, the busiest node's EngineCPUUtilization / 100 on AWS.
   */
  public metricEngineCpuUtilization(): PlatformMetric {
    return cachePortableMetric('engineCpuUtilization', this.spec, this.metricsSource?.job);
  }

  /** Keys evicted per second, as `CacheEvicting` measures it: per node in PromQL, every node's Evictions per second in CloudWatch. */
  public metricEvictionRate(): PlatformMetric {
    return cachePortableMetric('evictionRate', this.spec, this.metricsSource?.job);
  }

  /**
   * Any series redis_exporter exports for this cache, e.g. `prometheusMetric('redis_connected_clients')`
   * (Kubernetes only: ElastiCache has no Prometheus endpoint).
   */
  public prometheusMetric(metricName: string): PlatformMetric {
    if (!this.metricsSource) {
      throw metricNotOnTarget(this, 'prometheusMetric', this.target,
        'ElastiCache publishes no Prometheus metrics: use metric(metricName) for a CloudWatch metric, or the portable metricMemoryUtilization(), metricEngineCpuUtilization(), metricEvictionRate()');
    }
    return prometheusSeries(this, this.metricsSource.job, metricName);
  }

  private named(method: string, metricName: string, statistic: string, props: CacheMetricOptions | undefined, defaultNode = 0): cloudwatch.Metric {
    this.requireAws(method);
    return cacheMetric(this.spec, metricName, statistic, props, defaultNode);
  }

  private requireAws(member: string): void {
    if (this.target !== PlatformTarget.AWS) {
      throw new PlatformValidationError(`${this.node.path}: ${member} is not supported on ${this.target}: ` +
        'CloudWatch metrics exist on aws only; on kubernetes scrape metricsSource (redis_exporter) with Prometheus');
    }
  }
}
