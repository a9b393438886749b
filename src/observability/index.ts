export * from './props';
export * from './target-props';
export * from './alerting/receivers';
export * from './operator/metrics-backend';
export * from './logs/log-destination';
export * from './resources';
export * from './observability-stack';
export { AlertComparison, AlertSeverity, UserAlertOptions } from './alerting/user-alerts';
