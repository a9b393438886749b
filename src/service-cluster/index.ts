export * from './props';
export * from './resources';
export * from './service-cluster';
export { SidecarContainer } from './sidecars';
