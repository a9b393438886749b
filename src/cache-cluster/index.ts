export * from './engine';
export * from './props';
export * from './backup-options';
export * from './resources';
export * from './metric-options';
export * from './cache-cluster';
export { CacheAccess, CacheConnectOptions } from './access';
export { CacheRbacResources } from './aws-users';
