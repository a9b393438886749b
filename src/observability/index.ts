export * from './props';
export * from './target-props';
export * from './receivers';
export * from './metrics-backend';
export * from './log-destination';
export * from './resources';
export * from './observability-stack';
export { AlertComparison, AlertSeverity, UserAlertOptions } from './user-alerts';
