export * from './props';
export * from './target-props';
export * from './receivers';
export * from './resources';
export * from './observability-stack';
export { AlertComparison, AlertSeverity, UserAlertOptions } from './user-alerts';
