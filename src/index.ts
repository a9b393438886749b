// The public API, name by name: test/package/public-api.txt lists it, and a test fails on any change to it.

// Targets: which one a construct renders for, the shared per-Stack and per-Chart context, profiles and placement.
export { PlatformTarget } from './platform/target';
export { AwsPlatform, AwsPlatformProps } from './platform/aws-platform';
export { KubernetesPlatform, KubernetesPlatformProps } from './platform/kubernetes-platform';
export { PlatformProfile } from './platform/profile';
export { ServicePlacement } from './platform/service-placement';

// Neutral wiring: endpoints, secret references, network peers and the clients data stores connect.
export { Endpoint } from './platform/endpoint';
export { PlatformSecret } from './platform/secret';
export { INetworkPeer, NetworkPeer } from './platform/network';
export { IQueueClient } from './platform/queue-client';
export { IRedisConnection } from './platform/redis-connection';

// Backups: the one S3-or-volume target of every data store.
export { BackupS3Options, BackupTarget, BackupVolumeOptions } from './platform/backup-target';

// Metrics: what constructs expose to the observability stack, and portable metrics for alerts.
export { MetricsSource } from './platform/metrics';
export { PlatformMetric, PlatformMetricOptions, PlatformMetricUnit } from './platform/platform-metric';

// Owned credentials and certificates, and how the platform provisions them on Kubernetes.
export { CredentialFormat, OwnedCredential } from './platform/owned-credentials';
export {
  CertificateIssuerReference, CertificateKeyAlgorithm, CertificateOptions, CertificateProvisioning, CertificateProvisioningResources,
  CertManagerCertificateOptions, CredentialProvisioning, CredentialProvisioningResources, ExternalSecretsOptions, ExternalSecretsResources,
  GeneratorJobOptions, GeneratorJobResources, OwnedCertificate, RemoteSecret, SecretStoreReference, SelfSignedCaOptions,
} from './platform/credentials';

// Topology: the declared components and connections, and the access paths proven from the output.
export { PlatformTopology, TopologyComponent, TopologyComponentOptions, TopologyConnection, TopologyLayer } from './platform/topology';
export { AccessPath } from './platform/access/access-path';

// ServiceCluster: a stateless HTTP service, its rollout strategy and sidecars.
export {
  EnvironmentVariableOptions, HealthCheck, MetricsEndpointOptions, RolloutStrategy, ServiceCluster, ServiceClusterAwsOptions,
  ServiceClusterKubernetesOptions, ServiceClusterProps, SidecarContainer, SloGatedCanaryOptions,
} from './service-cluster';
// ServiceCluster's inner resources, for escape hatches.
export { ServiceClusterAwsResources, ServiceClusterKubernetesResources } from './service-cluster';

// Gateway: the public entry point, its routes, targets, TLS and JWT verification.
export {
  CertManagerOptions, Gateway, GatewayAwsOptions, GatewayKubernetesOptions, GatewayProps, GatewayRoute, GatewayTracingOptions,
  JwtOptions, JwtVerifier, RouteTarget, TlsSource, UpstreamHealthCheck, WeightedBackend,
} from './gateway';
// Gateway policies and middlewares.
export {
  CircuitBreakerOptions, CorsOptions, GatewayMiddleware, GatewayPolicy, HeadersMiddlewareOptions, InFlightRequestsOptions,
  RateLimitKey, RateLimitOptions, RetryOptions, SecurityHeadersOptions,
} from './gateway';
// Traefik's dynamic configuration as the Gateway renders it on Kubernetes.
export { TraefikDynamicConfig, TraefikHttpConfig, TraefikRouter, TraefikTlsConfig } from './gateway';
// Gateway's inner resources, for escape hatches.
export { GatewayAwsResources, GatewayKubernetesResources } from './gateway';

// CacheCluster: Redis-compatible cache, its modes, backups, restores and connected users.
export {
  CacheAccess, CacheCluster, CacheClusterAwsOptions, CacheClusterKubernetesOptions, CacheClusterMode, CacheClusterProps,
  CacheConnectOptions, CacheEngine, CacheKubernetesBackupOptions, CacheMetricOptions, CacheRestoreSource, EvictionPolicy,
} from './cache-cluster';
// CacheCluster's inner resources, for escape hatches.
export { CacheClusterAwsResources, CacheClusterKubernetesResources, CacheRbacResources } from './cache-cluster';

// MessageQueue and QueueWorker: work queues and the workers that consume them.
export {
  MessageQueue, MessageQueueKubernetesOptions, MessageQueueProps, QueueWorker, QueueWorkerKubernetesOptions, QueueWorkerProps,
} from './message-queue';
// MessageQueue's and QueueWorker's inner resources, for escape hatches.
export {
  MessageQueueAwsResources, MessageQueueKubernetesResources, QueueWorkerAwsResources, QueueWorkerKubernetesResources,
} from './message-queue';

// MongoShardedCluster: sharded MongoDB (DocumentDB Elastic on AWS), shard keys, client credentials, backups and restores.
export {
  MongoBackupOptions, MongoClientCredentials, MongoConnectOptions, MongoContainerResources, MongoRestore, MongoRestoreOptions,
  MongoServiceUserOptions, MongoShardedCluster, MongoShardedClusterAwsOptions, MongoShardedClusterKubernetesOptions,
  MongoShardedClusterProps, MongoShardKey,
} from './mongo-sharded-cluster';
// MongoShardedCluster's inner resources, for escape hatches.
export {
  MongoReplicaSetObjects, MongoShardedClusterAwsResources, MongoShardedClusterKubernetesResources, MongoShardingTaskResources,
} from './mongo-sharded-cluster';

// ObservabilityStack: metrics, SLOs and alerts, receivers, logs and the metrics backend.
export {
  AlertComparison, AlertReceiver, AlertReceiverConfig, AlertSeverity, ElasticsearchLogDestinationOptions, EmailReceiverOptions,
  ExistingPrometheusWorkspace, HttpMetricNames, LogDestination, MetricsBackend, NodeLogCollection, ObservabilityAwsOptions,
  ObservabilityImages, ObservabilityKubernetesOptions, ObservabilityStack, ObservabilityStackProps, OpenSearchLogDestinationOptions,
  OtlpLogDestinationOptions, PlatformLogStoreOptions, PrometheusOperatorOptions, ResourceAlertThresholds, SearchClusterCredentials,
  SlackChatbotChannel, SlackReceiverOptions, SloObjectives, UiAccessOptions, UserAlertOptions, WebhookReceiverOptions,
} from './observability';
// ObservabilityStack's inner resources, for escape hatches.
export {
  NodeLogCollectionObjects, ObservabilityAwsResources, ObservabilityComponentObjects, ObservabilityDeploymentObjects,
  ObservabilityKubernetesResources, ObservabilityStatefulObjects, PrometheusOperatorObjects,
} from './observability';
