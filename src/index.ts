export { PlatformTarget } from './platform/target';
export { Endpoint } from './platform/endpoint';
export { PlatformSecret } from './platform/secret';
export { INetworkPeer, NetworkPeer } from './platform/network';
export { MetricsSource } from './platform/metrics';
export { AwsPlatform, AwsPlatformProps } from './platform/aws-platform';
export { KubernetesPlatform, KubernetesPlatformProps } from './platform/kubernetes-platform';
export {
  ServiceCluster, ServiceClusterProps, HealthCheck, MetricsEndpointOptions,
  ServiceClusterAwsOptions, ServiceClusterKubernetesOptions,
  ServiceClusterAwsResources, ServiceClusterKubernetesResources,
} from './service-cluster';
