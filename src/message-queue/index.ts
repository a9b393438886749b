export * from './props';
export * from './resources';
export * from './message-queue';
export * from './worker-props';
export * from './worker-resources';
export * from './queue-worker';
