export * from './props';
export * from './target-options';
export * from './shard-key';
export * from './resources';
export * from './mongo-sharded-cluster';
export * from './client-credentials';
export * from './restore';
