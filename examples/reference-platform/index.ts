import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CacheCluster, CacheClusterMode, EvictionPolicy } from '../../src/cache-cluster';
import { Gateway, RouteTarget, TlsSource } from '../../src/gateway';
import { MessageQueue, QueueWorker } from '../../src/message-queue';
import { MongoClientCredentials, MongoShardedCluster, MongoShardKey } from '../../src/mongo-sharded-cluster';
import { AlertReceiver, ObservabilityStack } from '../../src/observability';
import { AwsPlatform } from '../../src/platform/aws-platform';
import { CertificateProvisioning, CredentialProvisioning, SecretStoreReference } from '../../src/platform/credentials';
import { KubernetesPlatform } from '../../src/platform/kubernetes-platform';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformSecret } from '../../src/platform/secret';
import { PlatformTarget } from '../../src/platform/target';
import { PlatformTopology } from '../../src/platform/topology';
import { RolloutStrategy } from '../../src/service-cluster';
import { AcmeService } from '../service-cluster/acme-service';

/** Context key of the gateway's ACM certificate ARN on AWS (e.g. in cdk.json). */
export const CERTIFICATE_CONTEXT = 'reference-platform:certificateArn';
/**
 * The External Secrets ClusterSecretStore that holds the secrets you supply on Kubernetes (the Slack
 * webhook, at `reference-platform/alerting`, property `slack-webhook-url`).
 */
export const SECRET_STORE = 'platform-secrets';
const SLACK_WEBHOOK = PlatformSecret.named('alerting-slack', 'webhook-url');
const EXAMPLE_CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0b6c3c1e-8a4f-4f5e-9d2a-7c1e2b3a4d5f';

/** Props of the reference platform. */
export interface ReferencePlatformProps {
  /**
   * Defaults of every construct: highly available, or small for development (single replicas with
   * warnings, smaller sizes, one NAT gateway, a week of logs).
   *
   * @default the profile in context (`cdk-portable-platform:profile`), else PlatformProfile.PRODUCTION
   */
  readonly profile?: PlatformProfile;
  /**
   * Public host name of the API.
   *
   * @default 'api.example.com'
   */
  readonly domainName?: string;
}

/**
 * The seeds' architecture, written once: a Gateway routes `/v1/users`, `/v1/products` and `/v1/orders`
 * to three services and `/ws` to a realtime WebSocket service, behind JWT, CORS and rate limits shared
 * through the cache; the services use a Redis CacheCluster and a three-shard MongoShardedCluster; an
 * ObservabilityStack watches every construct it finds. Network access exists only where declared:
 *
 * | client → | cache | mongo | other service |
 * |---|---|---|---|
 * | gateway | rate-limit store | — | users, products, orders, realtime (its routes) |
 * | users | sessions | `users` | — |
 * | products | page cache | `catalog` | — |
 * | orders | — | `orders` (sharded by customer) | products |
 * | realtime | pub/sub | — | — |
 *
 * Orders are fulfilled in the background: the orders service publishes to the `order-events` queue,
 * the fulfilment worker consumes it and scales on its backlog, and an order that fails five times
 * lands in the dead-letter queue for inspection.
 *
 * New versions of orders are gated by its SLO (`RolloutStrategy.sloGatedCanary()`): on Kubernetes an
 * Argo Rollouts canary whose analysis runs the SLO alerts' conditions, on AWS ECS deployment alarms
 * on its fast-burn and error-rate alarms, rolled back when one fires.
 */
export class ReferencePlatform extends Construct {
  /** The profile in effect. */
  public readonly profile: PlatformProfile;
  /** `api`: the public entry point. */
  public readonly gateway: Gateway;
  /** `/v1/users`: accounts and sessions. */
  public readonly users: AcmeService;
  /** `/v1/products`: the catalog. */
  public readonly products: AcmeService;
  /** `/v1/orders`: checkout; calls products. */
  public readonly orders: AcmeService;
  /** `/ws`: WebSocket notifications over the cache's pub/sub. */
  public readonly realtime: AcmeService;
  /** `shop-cache`: Redis in replication mode, also the gateway's rate-limit store. */
  public readonly cache: CacheCluster;
  /** `shop-db`: three shards. */
  public readonly database: MongoShardedCluster;
  /** `order-events`: orders waiting to be fulfilled, with a dead-letter queue. */
  public readonly orderEvents: MessageQueue;
  /** `fulfilment`: consumes `order-events`, scales on its backlog. */
  public readonly fulfilment: QueueWorker;
  /** Watches every construct above, found at synthesis. */
  public readonly observability: ObservabilityStack;

  constructor(scope: Construct, id: string, props: ReferencePlatformProps = {}) {
    super(scope, id);
    props.profile?.applyTo(this);
    this.profile = PlatformProfile.of(this);
    if (PlatformTarget.of(this) === PlatformTarget.AWS) this.ownAwsPlatform();
    else this.ownKubernetesPlatform();

    this.observability = new ObservabilityStack(this, 'Observability', {
      receivers: [
        AlertReceiver.slack({
          apiUrlSecret: SLACK_WEBHOOK,
          channel: '#shop-alerts',
          awsChatbot: { slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD' },
        }),
        AlertReceiver.webhook('https://oncall.example.com/hooks/shop', { snsEnvelopeOnAws: true }),
      ],
    });
    this.cache = new CacheCluster(this, 'Cache', {
      cacheName: 'shop-cache',
      mode: CacheClusterMode.REPLICATION,
      evictionPolicy: EvictionPolicy.VOLATILE_LRU,
    });
    this.database = new MongoShardedCluster(this, 'Database', {
      clusterName: 'shop-db',
      shards: 3,
      backup: { schedule: '30 2 * * *', retention: Duration.days(14) },
      shardedCollections: ['orders.orders', 'users.profiles'],
      shardKeys: { 'orders.orders': MongoShardKey.hashed('customerId'), 'users.profiles': MongoShardKey.hashed('userId') },
    });

    this.users = this.service('Users', 'identity', 'ghcr.io/acme/users:4.2.0');
    this.products = this.service('Products', 'merchandising', 'ghcr.io/acme/products:3.7.1');
    // Checkout is where a bad release costs most: its deployments advance only while its SLO holds.
    this.orders = this.service('Orders', 'checkout', 'ghcr.io/acme/orders:2.9.0', { PRODUCTS_URL: this.products.endpoint.url },
      RolloutStrategy.sloGatedCanary());
    this.realtime = this.service('Realtime', 'engagement', 'ghcr.io/acme/realtime:1.4.3');

    // Declared access, and nothing else: see the table above.
    this.products.allowFrom(this.orders);
    for (const service of [this.users, this.products, this.realtime]) this.useCache(service);
    // Each service its own user, readWrite on its database only; DocumentDB Elastic (AWS) has only the administrator.
    const credentials = MongoClientCredentials.perServiceUserOrAdministrator();
    this.database.connect(this.users, { database: 'users', credentials });
    this.database.connect(this.products, { database: 'catalog', credentials });
    this.database.connect(this.orders, { database: 'orders', credentials });

    // The seeds' message-queue layer: orders publish, fulfilment consumes; failures are dead-lettered.
    this.orderEvents = new MessageQueue(this, 'OrderEvents', {
      queueName: 'order-events',
      maxReceiveCount: 5,
      visibilityTimeout: Duration.minutes(2),
    });
    this.orderEvents.grantSend(this.orders);
    this.fulfilment = new QueueWorker(this, 'Fulfilment', {
      serviceName: 'fulfilment',
      image: 'ghcr.io/acme/fulfilment:1.3.0',
      queue: this.orderEvents,
      healthCheckCommand: ['/app/fulfilment', 'healthcheck'],
      targetBacklogPerReplica: 50,
      shutdownGracePeriod: Duration.seconds(90),
    });

    const domainName = props.domainName ?? 'api.example.com';
    const certificateArn = this.node.tryGetContext(CERTIFICATE_CONTEXT) ?? EXAMPLE_CERTIFICATE;
    this.gateway = new Gateway(this, 'Api', {
      domainName,
      jwt: {
        issuer: 'https://auth.example.com/',
        jwksUrl: 'https://auth.example.com/.well-known/jwks.json',
        audiences: [`https://${domainName}`],
      },
      cors: { allowOrigins: ['https://shop.example.com'], allowCredentials: true, maxAge: Duration.hours(1) },
      // Shared by every Traefik replica through the cache (fails closed while the cache is unreachable).
      rateLimit: { average: 100, burst: 200, store: this.cache },
      retry: { attempts: 2 },
      maxRequestBodySize: Size.mebibytes(2),
      // No `tracing`: on Kubernetes it opens the collector's port towards every pod of every namespace.
      routes: [
        { name: 'users', pathPrefix: '/v1/users', target: RouteTarget.service(this.users) },
        { name: 'products', pathPrefix: '/v1/products', target: RouteTarget.service(this.products) },
        { name: 'orders', pathPrefix: '/v1/orders', target: RouteTarget.service(this.orders) },
        { name: 'realtime', pathPrefix: '/ws', websocket: true, target: RouteTarget.service(this.realtime) },
      ],
      aws: { certificate: acm.Certificate.fromCertificateArn(this, 'ApiCertificate', certificateArn) },
      kubernetes: { tls: TlsSource.certManager({ issuerName: 'letsencrypt-prod' }) },
    });

    // The intended access, proven at synthesis from the NetworkPolicies or security groups (access.md).
    const topology = PlatformTopology.of(this);
    topology.denyAccess(this.realtime, this.database);
    topology.allowAccessOnlyFrom(this.orderEvents, [this.orders, this.fulfilment, this.observability]);
    // The gateway reaches the services it routes to and the cache (its rate-limit store), no other data store.
    topology.denyAccess(this.gateway, this.database);
    topology.denyAccess(this.gateway, this.orderEvents);
  }

  /** An Acme service: the organisation's defaults and hooks, OpenTelemetry to the platform's collector. */
  private service(id: string, team: string, image: string, environment: { [name: string]: string } = {}, rollout?: RolloutStrategy): AcmeService {
    const serviceName = id.toLowerCase();
    return new AcmeService(this, id, {
      serviceName,
      team,
      image,
      rollout,
      healthCheck: { path: '/healthz' },
      metrics: { port: 9090, path: '/metrics' },
      environment: {
        ...environment,
        OTEL_EXPORTER_OTLP_ENDPOINT: this.observability.endpoint.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      },
    });
  }

  /** Where the cache is and how to log in (a secret reference, never a value); admits the service. */
  private useCache(service: AcmeService): void {
    const endpoint = this.cache.endpoint;
    service.addEnvironment('REDIS_HOST', endpoint.host);
    service.addEnvironment('REDIS_PORT', String(endpoint.port));
    service.addEnvironment('REDIS_TLS', String(this.cache.redisTls));
    service.addSecret('REDIS_PASSWORD', this.cache.redisPassword!);
    // Kubernetes TLS: the cache's own CA, as a file (ElastiCache's certificate is publicly trusted).
    if (this.cache.redisTlsCa) service.addEnvironment('REDIS_TLS_CA_FILE', service.addSecretFile(this.cache.redisTlsCa, '/etc/cache-tls'));
    this.cache.allowFrom(service);
  }

  /**
   * The NAT gateways and log retention are the platform's decisions: in development, one NAT gateway and
   * a week of logs, unless the Stack already has its AwsPlatform (production keeps the platform's defaults).
   */
  private ownAwsPlatform(): void {
    let stack = Stack.of(this);
    while (stack.nestedStackParent) stack = stack.nestedStackParent;
    if (this.profile !== PlatformProfile.DEVELOPMENT || stack.node.children.some(c => c instanceof AwsPlatform)) return;
    new AwsPlatform(stack, 'PortablePlatform', { natGateways: 1, logRetention: logs.RetentionDays.ONE_WEEK });
  }

  /**
   * Nothing to create by hand on Kubernetes: the External Secrets Operator generates every credential
   * the constructs own and copies the Slack webhook from your store; cert-manager issues the data
   * stores' certificates from a CA of the platform's own. Unless the Chart already has its platform.
   */
  private ownKubernetesPlatform(): void {
    const chart = Chart.of(this);
    if (chart.node.children.some(c => c instanceof KubernetesPlatform)) return;
    new KubernetesPlatform(chart, 'PortablePlatform', {
      credentials: CredentialProvisioning.externalSecrets({
        secretStore: SecretStoreReference.clusterSecretStore(SECRET_STORE),
        remoteSecrets: [{ secret: SLACK_WEBHOOK, remoteKey: 'reference-platform/alerting', remoteProperty: 'slack-webhook-url' }],
      }),
      certificates: CertificateProvisioning.selfSignedCa(),
    });
  }
}

/** The reference platform under `scope` (a Stack or a Chart), for `npm run examples`. */
export function defineReferencePlatform(scope: Construct, props: ReferencePlatformProps = {}): ReferencePlatform {
  return new ReferencePlatform(scope, 'Shop', props);
}
