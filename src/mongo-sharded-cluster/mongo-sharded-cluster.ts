import { Duration, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { renderMongoShardedClusterOnAws } from './aws';
import { BACKUP_ALARM_PERIODS, BACKUP_OVERDUE_HOURS, backupAgeMetric } from './aws-backup-check';
import { MongoClientCredentials, MongoConnectOptions } from './client-credentials';
import { CLIENT_ENV, MongoClusterHandle } from './cluster-handle';
import { renderMongoShardedClusterOnKubernetes } from './kubernetes';
import { MongoShardedClusterProps } from './props';
import { MongoShardedClusterAwsResources, MongoShardedClusterKubernetesResources } from './resources';
import { resolveMongoShardedClusterSpec } from './spec';
import { mongoShardedClusterWarnings, RESERVED_USERNAMES, validateMongoShardedCluster } from './validation';
import { jobSelector } from '../observability/alerting/rule-types';
import { mongoConnections, mongoLag } from '../observability/metrics/signals';
import { AccessPurpose, allowClientOrMetricsFrom, AllowFromOptions } from '../platform/access-purpose';
import { CloudWatchSource } from '../platform/cloudwatch-source';
import { Endpoint } from '../platform/endpoint';
import { invalidPropMessage, PlatformValidationError, throwIfInvalid } from '../platform/errors';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { MetricsSource } from '../platform/metrics';
import { dnsLabelFromId } from '../platform/names';
import { INetworkPeer } from '../platform/network';
import { CredentialFormat } from '../platform/owned-credentials';
import { IPlatformClient } from '../platform/platform-client';
import { metricNotOnTarget, PlatformMetric, PlatformMetricUnit, prometheusSeries } from '../platform/platform-metric';
import { PlatformProfile } from '../platform/profile';
import { PlatformSecret } from '../platform/secret';
import { PlatformTarget } from '../platform/target';
import { PlatformTopology } from '../platform/topology';
import { platformWarning } from '../platform/warnings';

/**
 * A sharded MongoDB-compatible database: shards of replicated members, config servers and query
 * routers, with authentication, TLS, backups and metrics.
 *
 * Under an aws-cdk-lib `Stack` it renders an Amazon DocumentDB Elastic Cluster; under a cdk8s
 * `Chart` it renders config-server and shard StatefulSets (a Percona Backup for MongoDB agent beside
 * every mongod), a mongos Deployment and Service, exporters, PDBs, NetworkPolicies, an idempotent init
 * Job, a backup CronJob and, on request, a restore Job.
 *
 * Subclass it to set organisation-wide defaults (`applyDefaults`) or to adjust what is rendered
 * (`configureAws`, `configureKubernetes`).
 */
export class MongoShardedCluster extends Construct {
  /** Name of the cluster in DNS, object names and metrics. */
  public readonly clusterName: string;
  /** Which target this cluster rendered to. */
  public readonly target: PlatformTarget;
  /** Where clients connect: the mongos Service on Kubernetes, the cluster endpoint on AWS (port 27017). */
  public readonly endpoint: Endpoint;
  /** Name of the administrator. */
  public readonly adminUsername: string;
  /** The administrator's password. */
  public readonly adminSecret: PlatformSecret;
  /**
   * Where the exporters' Prometheus metrics are (Kubernetes). Undefined on AWS, where DocumentDB
   * publishes CloudWatch metrics instead: see `metric()`.
   */
  public readonly metricsSource?: MetricsSource;
  /** AWS resources; undefined on Kubernetes. */
  public readonly aws?: MongoShardedClusterAwsResources;
  /** Kubernetes objects; undefined on AWS. */
  public readonly kubernetes?: MongoShardedClusterKubernetesResources;
  private readonly handle: MongoClusterHandle<unknown>;
  /** Workloads wired by connect, with their database. */
  private readonly connectedClients = new Map<IPlatformClient, string>();
  /** Per-service users, with the workload each belongs to. */
  private readonly connectedUsers = new Map<string, IPlatformClient>();

  constructor(scope: Construct, id: string, props: MongoShardedClusterProps = {}) {
    super(scope, id);
    this.target = PlatformTarget.of(this);
    const effective = this.applyDefaults(props);
    const spec = resolveMongoShardedClusterSpec(effective.clusterName ?? dnsLabelFromId(id).slice(0, 40).replace(/-+$/, ''), effective, PlatformProfile.of(this));
    throwIfInvalid(validateMongoShardedCluster(this, spec, this.target));
    mongoShardedClusterWarnings(spec, this.target).forEach(w => platformWarning(this, w.id, w.message));
    this.clusterName = spec.name;
    this.adminUsername = spec.adminUsername;

    if (this.target === PlatformTarget.AWS) {
      const handle = renderMongoShardedClusterOnAws(this, spec);
      this.aws = handle.resources;
      this.handle = handle;
      this.configureAws(handle.resources, effective);
    } else {
      const handle = renderMongoShardedClusterOnKubernetes(this, spec);
      this.kubernetes = handle.resources;
      this.handle = handle;
      this.configureKubernetes(handle.resources, effective);
    }
    this.endpoint = this.handle.endpoint;
    this.adminSecret = this.handle.adminSecret;
    this.metricsSource = this.handle.metricsSource;
    PlatformTopology.of(this).addComponent(this, { kind: 'mongo', name: spec.name });
    PlatformTopology.of(this).addInternalConnection(this, 'replica-set members, routers to shards and config servers, the init, sharding and backup jobs');
  }

  /**
   * Connection string of `database`, without credentials: `authSource=admin`, `w=majority`, and
   * `tls=true` when TLS is on (plus `retryWrites=false` on DocumentDB). Pass the user name and
   * password to the driver separately (see `connect`).
   */
  public connectionString(database: string): string {
    this.requireApplicationDatabase('connectionString(database)', database);
    return `mongodb://${this.endpoint.address}/${database}?authSource=admin&w=majority${this.handle.connectionOptions}`;
  }

  /**
   * Wires `client` (a ServiceCluster or QueueWorker) to one database: admits it (`allowFrom`) and gives
   * it `MONGODB_URI` (the connection string), `MONGODB_DATABASE`, `MONGODB_USERNAME` and
   * `MONGODB_PASSWORD` (a secret reference, never a value). By default the workload logs in as a user
   * of its own with `readWrite` on that database only (Kubernetes: created by the init Job, its
   * password in its own Secret); AWS refuses per-service users (DocumentDB Elastic has no user
   * management), so code that renders there says `MongoClientCredentials.administrator()` or
   * `perServiceUserOrAdministrator()`. On Kubernetes with TLS it also mounts the cluster CA and sets
   * `MONGODB_TLS_CA_FILE`.
   */
  public connect(client: IPlatformClient, options: MongoConnectOptions = {}): void {
    const database = options.database ?? client.serviceName;
    this.requireApplicationDatabase(options.database === undefined ? 'connect(client) (its serviceName, the default database)' : 'connect(database)', database);
    const uri = this.connectionString(database);
    // A workload's variables are set once: connecting it again to the same database changes nothing.
    const connected = this.connectedClients.get(client);
    if (connected === database) return;
    if (connected !== undefined) {
      throw new PlatformValidationError(invalidPropMessage(this, 'connect(database)', `is a second database for ${pathOf(client)}`, database,
        `the workload already reads MONGODB_URI for "${connected}": connect each workload to one database`));
    }
    const [username, password] = this.credentialsFor(client, database, options.credentials ?? MongoClientCredentials.perServiceUser());
    this.connectedClients.set(client, database);
    this.allowFrom(client);
    client.addEnvironment(CLIENT_ENV.uri, uri);
    client.addEnvironment(CLIENT_ENV.database, database);
    client.addEnvironment(CLIENT_ENV.username, username);
    client.addSecret(CLIENT_ENV.password, password);
    for (const [name, value] of Object.entries(this.handle.prepareService(client))) client.addEnvironment(name, value);
  }

  /**
   * Wires `service` to `database` with the default credentials of `connect` (a per-service user).
   *
   * @deprecated use `connect(service, { database })`
   */
  public connectService(service: IPlatformClient, database: string): void {
    this.connect(service, { database });
  }

  private requireApplicationDatabase(prop: string, database: string): void {
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(database) || ['admin', 'config', 'local'].includes(database)) {
      throw new PlatformValidationError(invalidPropMessage(this, prop, 'is not an application database', database,
        'use 1-63 letters, digits, "_" or "-", other than admin, config and local'));
    }
  }

  /** The user name and password `client` logs in with, creating its own user when it gets one. */
  private credentialsFor(client: IPlatformClient, database: string, credentials: MongoClientCredentials): [string, PlatformSecret] {
    const perServiceUser = credentials.kind !== 'administrator' && this.target === PlatformTarget.KUBERNETES;
    if (!perServiceUser) {
      if (credentials.kind === 'per-service-user') {
        throw new PlatformValidationError(invalidPropMessage(this, 'connect(credentials)', 'cannot be a per-service user on aws', 'perServiceUser',
          'DocumentDB Elastic has one administrator and no user management (AWS::DocDBElastic::Cluster creates no other user, and no ' +
          'CloudFormation resource does): pass MongoClientCredentials.administrator(), or perServiceUserOrAdministrator() for code that renders to both targets'));
      }
      return [this.adminUsername, this.adminSecret];
    }
    const user = client.serviceName;
    if (RESERVED_USERNAMES.includes(user.toLowerCase()) || user === this.adminUsername) {
      throw new PlatformValidationError(invalidPropMessage(this, 'connect(client)', 'names a user the cluster reserves', user,
        `rename the workload (serviceName): ${[...RESERVED_USERNAMES, this.adminUsername].join(', ')} are the cluster's own users`));
    }
    const owner = this.connectedUsers.get(user);
    if (owner !== undefined && owner !== client) {
      throw new PlatformValidationError(invalidPropMessage(this, 'connect(client)', `names the same user as ${pathOf(owner)}`, user,
        'give each workload connected to this cluster its own serviceName'));
    }
    this.connectedUsers.set(user, client);
    const password = credentials.password ?? PlatformSecret.named(`${this.clusterName}-user-${user}`, 'password');
    if (!credentials.password) KubernetesPlatform.of(this).declareOwnedCredential(this, password, CredentialFormat.PASSWORD);
    this.handle.addServiceUser(user, database, password);
    return [user, password];
  }

  /**
   * Admits `peer` to one purpose's port (security-group rule on AWS, NetworkPolicy on Kubernetes):
   *
   * - `AccessPurpose.CLIENT` (default): the cluster's `endpoint` (mongos on Kubernetes), never a
   *   metrics port;
   * - `AccessPurpose.METRICS`: every exporter, for a scraper such as Prometheus (Kubernetes only:
   *   DocumentDB Elastic publishes its metrics to CloudWatch).
   */
  public allowFrom(peer: INetworkPeer, options: AllowFromOptions = {}): void {
    allowClientOrMetricsFrom(this, this.handle, peer, options, { client: 'the mongos port', metrics: 'every exporter, Kubernetes only', protocol: 'mongodb' });
  }

  /**
   * Admits `peer` (e.g. Prometheus) to every exporter (Kubernetes only).
   *
   * @deprecated use `allowFrom(peer, { purpose: AccessPurpose.METRICS })`
   */
  public allowMetricsFrom(peer: INetworkPeer): void {
    this.allowFrom(peer, { purpose: AccessPurpose.METRICS });
  }

  /**
   * A CloudWatch metric of the DocumentDB Elastic cluster (AWS only), e.g.
   * `PrimaryInstanceCPUUtilization`, `DatabaseConnections`, `VolumeBytesUsed`. For a metric that
   * also works on Kubernetes, use the `PlatformMetric` methods (`metricConnectionsUtilization()`,
   * `metricReplicationLag()`, `prometheusMetric()`), which `ObservabilityStack.addAlert` takes; on
   * AWS they have no CloudWatch equivalent (DocumentDB Elastic publishes no connection limit and no
   * lag), so this method stays the way to DocumentDB's own metrics.
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!this.aws) {
      throw new PlatformValidationError(`${this.node.path}: metric() is not supported on kubernetes: ` +
        'the exporters publish Prometheus metrics; scrape metricsSource instead');
    }
    return new cloudwatch.Metric({
      namespace: 'AWS/DocDB-Elastic',
      metricName,
      // The cluster id is the last segment of the ARN (arn:…:cluster/<id>).
      dimensionsMap: { ClusterId: Fn.select(1, Fn.split('/', this.aws.cluster.attrClusterArn)), ClusterName: this.clusterName },
      ...props,
    });
  }

  /**
   * CPU of the shards' primary instances, percent (AWS only; CloudWatch). No portable equivalent:
   * on Kubernetes read the exporters with `prometheusMetric()`.
   */
  public metricPrimaryCpuUtilization(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('PrimaryInstanceCPUUtilization', { statistic: 'Average', ...props });
  }

  /**
   * Open client connections (AWS only; CloudWatch). On Kubernetes `metricConnectionsUtilization()`
   * gives connections as a fraction of the limit, as `MongoConnectionsHigh` alerts on.
   */
  public metricDatabaseConnections(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('DatabaseConnections', { statistic: 'Average', ...props });
  }

  /**
   * Hours since the newest available snapshot (or since the cluster was created, before its first
   * one), as the hourly backup check publishes it (AWS only, with `aws.backupAgeCheck`):
   * `MongoBackupMissing` fires past 26 hours.
   */
  public metricHoursSinceLastBackup(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!this.aws) {
      throw metricNotOnTarget(this, 'metricHoursSinceLastBackup', this.target,
        'the backup records are in Prometheus (MongoBackupMissing reads them); use prometheusMetric("mongodb_dbstats_objects")');
    }
    if (!this.aws.backupCheck) {
      throw new PlatformValidationError(invalidPropMessage(this, 'aws.backupAgeCheck', 'is off, so nothing publishes metricHoursSinceLastBackup()', false,
        'leave aws.backupAgeCheck unset (true) to have the hourly check publish the age of the newest snapshot'));
    }
    return backupAgeMetric(this.clusterName, props);
  }

  /**
   * What the observability stack watches in CloudWatch (AWS only: on Kubernetes the exporters are
   * scraped through `metricsSource`). DocumentDB Elastic publishes whole-cluster metrics, and no
   * backup metric or EventBridge event: the cluster's own hourly check publishes the age of its
   * newest snapshot instead.
   *
   * @internal
   */
  public _cloudWatchSource(): CloudWatchSource | undefined {
    if (!this.aws) return undefined;
    return {
      kind: 'mongo',
      name: this.clusterName,
      nodeMetrics: (metricName, statistic) => [this.metric(metricName, { statistic, period: Duration.minutes(5) })],
      backupAge: this.aws.backupCheck
        ? { alert: 'MongoBackupMissing', metric: backupAgeMetric(this.clusterName), overdueHours: BACKUP_OVERDUE_HOURS, periods: BACKUP_ALARM_PERIODS }
        : undefined,
    };
  }

  /**
   * Connections in use as a fraction of what each mongod/mongos accepts (0–1), as
   * `MongoConnectionsHigh` measures it (Kubernetes only: DocumentDB Elastic publishes no limit).
   */
  public metricConnectionsUtilization(): PlatformMetric {
    const sel = this.promSelector('metricConnectionsUtilization', 'use metricDatabaseConnections() (CloudWatch) for the connection count');
    return PlatformMetric._of(`${this.clusterName} connections used / available`, PlatformMetricUnit.RATIO, () => mongoConnections(sel));
  }

  /**
   * Seconds each secondary is behind its primary, as `MongoReplicationLagHigh` measures it
   * (Kubernetes only: DocumentDB Elastic replicates for you and publishes no lag).
   */
  public metricReplicationLag(): PlatformMetric {
    const sel = this.promSelector('metricReplicationLag', 'DocumentDB Elastic manages replication: use metric(metricName) for its CloudWatch metrics');
    return PlatformMetric._of(`${this.clusterName} replication lag`, PlatformMetricUnit.SECONDS, () => mongoLag(sel));
  }

  /**
   * Any series mongodb_exporter exports for this cluster, e.g. `prometheusMetric('mongodb_ss_opcounters')`
   * (Kubernetes only: DocumentDB Elastic publishes CloudWatch metrics; use `metric(metricName)`).
   */
  public prometheusMetric(metricName: string): PlatformMetric {
    this.promSelector('prometheusMetric', 'DocumentDB Elastic publishes CloudWatch metrics only: use metric(metricName)');
    return prometheusSeries(this, this.metricsSource!.job, metricName);
  }

  /**
   * Hook: organisation-wide defaults. Receives the caller's props and returns the props to render
   * (the effective props, which the other hooks receive too). Runs first in the base constructor,
   * before validation and before your subclass's field initialisers.
   *
   * @param props the caller's props
   */
  protected applyDefaults(props: MongoShardedClusterProps): MongoShardedClusterProps {
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
  protected configureAws(_resources: MongoShardedClusterAwsResources, _props: MongoShardedClusterProps): void {}

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
  protected configureKubernetes(_resources: MongoShardedClusterKubernetesResources, _props: MongoShardedClusterProps): void {}

  /** The selector of this cluster's exporters, or a clear error where there are none. */
  private promSelector(method: string, instead: string): (...matchers: string[]) => string {
    const source = this.metricsSource;
    if (!source) throw metricNotOnTarget(this, method, this.target, instead);
    return (...matchers) => jobSelector([source.job], ...matchers);
  }
}

/** Where a workload is in the construct tree, for messages. */
function pathOf(client: IPlatformClient): string {
  return Construct.isConstruct(client) ? client.node.path : client.serviceName;
}
