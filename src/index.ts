// The public API, name by name (interfaces with `export type`): test/package/public-api.txt lists it, and a test fails on any change to it.

// Targets: which one a construct renders for, the shared per-Stack and per-Chart context, profiles and placement.
export { PlatformTarget } from './platform/target';
export { AwsPlatform } from './platform/aws-platform';
export type { AwsPlatformProps } from './platform/aws-platform';
export { KubernetesPlatform } from './platform/kubernetes-platform';
export type { KubernetesPlatformProps } from './platform/kubernetes-platform';
export { PlatformProfile } from './platform/profile';
export { ServicePlacement } from './platform/service-placement';

// Neutral wiring: endpoints, secret references, network peers and the clients data stores connect.
export { Endpoint } from './platform/endpoint';
export { PlatformSecret } from './platform/secret';
export { NetworkPeer } from './platform/network';
export type { INetworkPeer } from './platform/network';
export type { IPlatformClient } from './platform/platform-client';
export type { IQueueClient } from './platform/queue-client';
export { AccessPurpose } from './platform/access-purpose';
export type { AllowFromOptions } from './platform/access-purpose';
export type { IRedisConnection } from './platform/redis-connection';

// Backups: the one S3-or-volume target of every data store.
export { BackupTarget } from './platform/backup-target';
export type { BackupS3Options, BackupVolumeOptions } from './platform/backup-target';

// Metrics: what constructs expose to the observability stack, and portable metrics for alerts.
export type { MetricsSource } from './platform/metrics';
export { PlatformMetric, PlatformMetricUnit } from './platform/platform-metric';
export type { PlatformMetricOptions } from './platform/platform-metric';

// Owned credentials and certificates, and how the platform provisions them on Kubernetes.
export { CredentialFormat } from './platform/owned-credentials';
export type { OwnedCredential } from './platform/owned-credentials';
export {
  CertificateIssuerReference, CertificateKeyAlgorithm, CertificateProvisioning, CredentialProvisioning, SecretStoreReference,
} from './platform/credentials';
export type {
  CertificateOptions, CertificateProvisioningResources, CertManagerCertificateOptions, CredentialProvisioningResources,
  ExternalSecretsOptions, ExternalSecretsResources, GeneratorJobOptions, GeneratorJobResources, OwnedCertificate, RemoteSecret,
  SelfSignedCaOptions,
} from './platform/credentials';

// Topology: the declared components and connections, and the access paths proven from the output.
export { PlatformTopology, TopologyLayer } from './platform/topology';
export type { TopologyComponent, TopologyComponentOptions, TopologyConnection } from './platform/topology';
export type { AccessPath } from './platform/access/access-path';

// ServiceCluster: a stateless HTTP service, its rollout strategy and sidecars.
export { RolloutStrategy, ServiceCluster } from './service-cluster';
export type {
  EnvironmentVariableOptions, HealthCheck, MetricsEndpointOptions, ServiceClusterAwsOptions, ServiceClusterKubernetesOptions,
  ServiceClusterProps, SidecarContainer, SloGatedCanaryOptions,
} from './service-cluster';
// ServiceCluster's inner resources, for escape hatches.
export type { ServiceClusterAwsResources, ServiceClusterKubernetesResources } from './service-cluster';

// Gateway: the public entry point, its routes, targets, TLS and JWT verification.
export { Gateway, JwtVerifier, RouteTarget, TlsSource } from './gateway';
export type {
  CertManagerOptions, GatewayAwsOptions, GatewayKubernetesOptions, GatewayProps, GatewayRoute, GatewayTracingOptions, JwtOptions,
  UpstreamHealthCheck, WeightedBackend,
} from './gateway';
// Gateway policies and middlewares.
export { GatewayMiddleware, GatewayPolicy, RateLimitKey } from './gateway';
export type {
  CircuitBreakerOptions, CorsOptions, HeadersMiddlewareOptions, InFlightRequestsOptions, RateLimitOptions, RetryOptions, RoutePolicyOptions,
  SecurityHeadersOptions,
} from './gateway';
// Traefik's dynamic configuration as the Gateway renders it on Kubernetes.
export type { TraefikDynamicConfig, TraefikHttpConfig, TraefikRouter, TraefikTlsConfig } from './gateway';
// Gateway's inner resources, for escape hatches.
export type { GatewayAwsResources, GatewayKubernetesResources } from './gateway';

// CacheCluster: Redis-compatible cache, its modes, backups, restores and connected users.
export { CacheAccess, CacheCluster, CacheClusterMode, CacheEngine, CacheRestoreSource, EvictionPolicy } from './cache-cluster';
export type {
  CacheClusterAwsOptions, CacheClusterKubernetesOptions, CacheClusterProps, CacheConnectOptions, CacheKubernetesBackupOptions,
  CacheMetricOptions,
} from './cache-cluster';
// CacheCluster's inner resources, for escape hatches.
export type { CacheClusterAwsResources, CacheClusterKubernetesResources, CacheRbacResources } from './cache-cluster';

// MessageQueue and QueueWorker: work queues and the workers that consume them.
export { MessageQueue, QueueWorker } from './message-queue';
export { QueueAccess } from './message-queue/queue-access';
export type { QueueConnectOptions } from './message-queue/queue-access';
export type { MessageQueueKubernetesOptions, MessageQueueProps, QueueWorkerKubernetesOptions, QueueWorkerProps } from './message-queue';
// MessageQueue's and QueueWorker's inner resources, for escape hatches.
export type {
  MessageQueueAwsResources, MessageQueueKubernetesResources, QueueWorkerAwsResources, QueueWorkerKubernetesResources,
} from './message-queue';

// MongoShardedCluster: sharded MongoDB (DocumentDB Elastic on AWS), shard keys, client credentials, backups and restores.
export { MongoClientCredentials, MongoRestore, MongoShardedCluster, MongoShardKey } from './mongo-sharded-cluster';
export type {
  MongoBackupOptions, MongoConnectOptions, MongoContainerResources, MongoRestoreOptions, MongoServiceUserOptions,
  MongoShardedClusterAwsOptions, MongoShardedClusterKubernetesOptions, MongoShardedClusterProps,
} from './mongo-sharded-cluster';
// MongoShardedCluster's inner resources, for escape hatches.
export type {
  MongoBackupCheckResources, MongoReplicaSetObjects, MongoShardedClusterAwsResources, MongoShardedClusterKubernetesResources,
  MongoShardingTaskResources,
} from './mongo-sharded-cluster';

// ObservabilityStack: metrics, SLOs and alerts, receivers, logs and the metrics backend.
export { AlertComparison, AlertReceiver, AlertSeverity, LogDestination, MetricsBackend, ObservabilityStack } from './observability';
export type {
  AlertReceiverConfig, ElasticsearchLogDestinationOptions, EmailReceiverOptions, ExistingPrometheusWorkspace, HttpMetricNames,
  NodeLogCollection, ObservabilityAwsOptions, ObservabilityImages, ObservabilityKubernetesOptions, ObservabilityStackProps,
  OpenSearchLogDestinationOptions, OtlpLogDestinationOptions, PlatformLogStoreOptions, PrometheusOperatorOptions, ResourceAlertThresholds,
  SearchClusterCredentials, SlackChatbotChannel, SlackReceiverOptions, SloObjectives, UiAccessOptions, UserAlertOptions,
  WebhookReceiverOptions,
} from './observability';
// ObservabilityStack's inner resources, for escape hatches.
export type {
  NodeLogCollectionObjects, ObservabilityAwsResources, ObservabilityComponentObjects, ObservabilityDeploymentObjects,
  ObservabilityKubernetesResources, ObservabilityStatefulObjects, PrometheusOperatorObjects,
} from './observability';
