export * from './gateway';
export * from './policies';
export * from './props';
export * from './resources';
export * from './route';
export * from './targets';
export * from './tls-source';
export * from './traefik-types';
