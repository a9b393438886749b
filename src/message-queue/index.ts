export * from './props';
export * from './resources';
export * from './message-queue';
