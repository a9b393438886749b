export * from './platform/target';
export * from './platform/endpoint';
export * from './platform/secret';
export * from './platform/network';
export * from './platform/metrics';
export * from './platform/aws-platform';
export * from './platform/kubernetes-platform';
export * from './service-cluster';
