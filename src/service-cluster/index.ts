export * from './props';
export * from './resources';
export * from './rollout-strategy';
export * from './service-cluster';
export { SidecarContainer } from './sidecars';
