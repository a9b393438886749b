import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { receiverProblems } from './alerting/receiver-validation';
import { logProblems, logStoreWarnings } from './logs/log-validation';
import { watchProblems } from './metrics/discovery';
import { ObservabilitySpec } from './spec';
import { invalidPropMessage } from '../platform/errors';
import { hasUserInfo, isHttpUrl, USERINFO_HINT } from '../platform/grammar/url';
import { isDnsLabel } from '../platform/names';
import { PlatformProfile } from '../platform/profile';
import { PlatformTarget } from '../platform/target';
import { integerInRange, isPinnedImage, numberAbove, Rule, runRules } from '../platform/validation';
import { ProfileWarning, reducedAvailabilityWarning } from '../platform/warnings';

const PROM_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
const PROM_SIZE = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const UNIT_MS: Record<string, number> = { y: 31536e6, w: 6048e5, d: 864e5, h: 36e5, m: 6e4, s: 1e3, ms: 1 };
const AMP_MAX_RETENTION_DAYS = 1095;

/** Milliseconds of a Prometheus duration (`1w2d`), or undefined when it is not one. */
export function parsePrometheusDuration(text: string): number | undefined {
  if (text === '' || !PROM_DURATION.test(text)) return undefined;
  return [...text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)].reduce((ms, [, n, unit]) => ms + Number(n) * UNIT_MS[unit], 0);
}

/** Bytes of a Prometheus size (`45GB`, powers of 1024), or undefined when it is not one. */
export function parsePrometheusSize(text: string): number | undefined {
  const match = PROM_SIZE.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 1024 ** ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'].indexOf(match[2]);
}

const fraction = (scope: IConstruct, prop: string, value: number, example: string): string[] =>
  Number.isFinite(value) && value > 0 && value < 1 ? [] : [invalidPropMessage(scope, prop, 'must be between 0 and 1, exclusive', value,
    `use a fraction such as ${example}`)];

const slo: Rule<ObservabilitySpec> = (scope, s) => [
  ...fraction(scope, 'slo.availability', s.slo.availability, '0.999 for 99.9 %'),
  ...fraction(scope, 'slo.errorRate', s.slo.errorRate, '0.01 for 1 %'),
  ...numberAbove(scope, 'slo.latencyP95 (seconds)', s.slo.latencyP95Seconds, 0, 60),
];

const retention: Rule<ObservabilitySpec> = (scope, s) => {
  const ms = parsePrometheusDuration(s.retention);
  return ms !== undefined && ms > 0 ? [] : [invalidPropMessage(scope, 'retention', 'is not a Prometheus duration', s.retention,
    'use a number and a unit among ms, s, m, h, d, w, y, e.g. "15d" or "1w3d"')];
};

const scraping: Rule<ObservabilitySpec> = (scope, s) => integerInRange(scope, 'scrapeInterval (seconds)', s.scrapeIntervalSeconds, 5, 300);

const metricNames: Rule<ObservabilitySpec> = (scope, s) => {
  const m = s.serviceMetrics;
  const problems: string[] = [];
  for (const [prop, value] of [['metricNames.requestsTotal', m.requests], ['metricNames.requestDuration', m.duration]]) {
    if (!METRIC_NAME.test(value)) problems.push(invalidPropMessage(scope, prop, 'is not a Prometheus metric name', value, 'use [a-zA-Z_:][a-zA-Z0-9_:]*'));
  }
  for (const [prop, value, optional] of [['metricNames.statusCodeLabel', m.statusLabel, false], ['metricNames.routeLabel', m.routeLabel, true]] as const) {
    if (!(optional && value === '') && !LABEL_NAME.test(value)) {
      problems.push(invalidPropMessage(scope, prop, 'is not a Prometheus label name', value, 'use [a-zA-Z_][a-zA-Z0-9_]*'));
    }
  }
  return problems;
};

const thresholds: Rule<ObservabilitySpec> = (scope, s) => {
  const t = s.thresholds;
  return [
    ...numberAbove(scope, 'resourceAlerts.serviceCpuUtilization', t.serviceCpuUtilization, 0, 1),
    ...numberAbove(scope, 'resourceAlerts.serviceMemoryUtilization', t.serviceMemoryUtilization, 0, 1),
    ...numberAbove(scope, 'resourceAlerts.serviceCpuCores', t.serviceCpuCores, 0, 1024),
    ...numberAbove(scope, 'resourceAlerts.serviceMemory (bytes)', t.serviceMemoryBytes, 0, 2 ** 50),
    ...integerInRange(scope, 'resourceAlerts.serviceRestartsPerHour', t.serviceRestartsPerHour, 1, 1000),
    ...numberAbove(scope, 'resourceAlerts.cacheMemoryUtilization', t.cacheMemoryUtilization, 0, 1),
    ...numberAbove(scope, 'resourceAlerts.cacheReplicationLag (bytes)', t.cacheReplicationLagBytes, 0, 2 ** 50),
    ...numberAbove(scope, 'resourceAlerts.mongoReplicationLag (seconds)', t.mongoReplicationLagSeconds, 0, 86400),
    ...numberAbove(scope, 'resourceAlerts.mongoConnectionsUtilization', t.mongoConnectionsUtilization, 0, 1),
  ];
};

const logsEndpoint: Rule<ObservabilitySpec> = (scope, s) =>
  s.logsEndpoint === undefined || Token.isUnresolved(s.logsEndpoint) ? [] : !isHttpUrl(s.logsEndpoint) ? [
    invalidPropMessage(scope, 'logsEndpoint', 'is not an http(s) URL', s.logsEndpoint,
      'use the OTLP/HTTP base URL of the log store, e.g. "https://logs.example.com/otlp" (URL characters only: no spaces, quotes or braces)'),
  ] : !hasUserInfo(s.logsEndpoint) ? [] : [
    invalidPropMessage(scope, 'logsEndpoint', 'carries credentials in its URL', '<redacted>', USERINFO_HINT),
  ];

const watch: Rule<ObservabilitySpec> = (scope, s) => watchProblems(scope, s.watch);

const aws: Rule<ObservabilitySpec> = (scope, s) => {
  const problems: string[] = [];
  const ms = parsePrometheusDuration(s.retention);
  const days = ms === undefined ? undefined : Math.ceil(ms / UNIT_MS.d);
  if (days !== undefined && days > AMP_MAX_RETENTION_DAYS) {
    problems.push(invalidPropMessage(scope, 'retention', 'exceeds what Amazon Managed Service for Prometheus keeps on aws', s.retention,
      `use at most ${AMP_MAX_RETENTION_DAYS} days`));
  }
  if (!Token.isUnresolved(s.aws.collectorImage) && !isPinnedImage(s.aws.collectorImage)) {
    problems.push(invalidPropMessage(scope, 'aws.collectorImage', 'is not pinned', s.aws.collectorImage, 'use an explicit tag other than "latest" or a digest'));
  }
  return problems;
};

const kubernetes: Rule<ObservabilitySpec> = (scope, s) => {
  const k = s.kubernetes;
  const problems = [
    ...integerInRange(scope, 'kubernetes.prometheusReplicas', k.prometheusReplicas, 1, 10),
    ...integerInRange(scope, 'kubernetes.alertmanagerReplicas', k.alertmanagerReplicas, 1, 5),
    ...integerInRange(scope, 'kubernetes.prometheusStorage (GiB)', k.prometheusStorageGiB, 1, 65536),
    ...integerInRange(scope, 'kubernetes.traceStorage (GiB)', k.traceStorageGiB, 1, 65536),
    ...numberAbove(scope, 'kubernetes.traceRetention (hours)', k.traceRetentionHours, 0, 8760),
  ];
  const size = parsePrometheusSize(k.retentionSize);
  if (size === undefined || size === 0) {
    problems.push(invalidPropMessage(scope, 'kubernetes.retentionSize', 'is not a Prometheus size', k.retentionSize,
      'use a whole number and a unit among B, KB, MB, GB, TB, PB, EB, e.g. "45GB"'));
  } else if (size >= k.prometheusStorageGiB * 1024 ** 3) {
    problems.push(invalidPropMessage(scope, 'kubernetes.retentionSize', 'must be smaller than kubernetes.prometheusStorage', k.retentionSize,
      `stay below ${k.prometheusStorageGiB}GB (about 90 %) so the volume never fills up`));
  }
  for (const [name, image] of Object.entries(k.images)) {
    if (!Token.isUnresolved(image) && !isPinnedImage(image)) {
      problems.push(invalidPropMessage(scope, `kubernetes.images.${name}`, 'is not pinned', image, 'use an explicit tag other than "latest" or a digest'));
    }
  }
  if (k.nodeLogNamespace !== undefined && !isDnsLabel(k.nodeLogNamespace)) {
    problems.push(invalidPropMessage(scope, 'kubernetes.nodeLogCollection.namespace', 'is not a DNS label', k.nodeLogNamespace,
      'use 1-63 lowercase letters, digits and "-", starting with a letter'));
  }
  if (k.grafanaAdminSecret.secretsManagerSecret || !k.grafanaAdminSecret.secretName) {
    problems.push(invalidPropMessage(scope, 'kubernetes.grafanaAdminSecret', 'is a Secrets Manager secret', 'Secrets Manager secret',
      "use PlatformSecret.named(name, key) to reference a Kubernetes Secret by name, e.g. PlatformSecret.named('grafana-admin', 'password')"));
  }
  return problems;
};

const COMMON_RULES = [slo, retention, scraping, metricNames, thresholds, logsEndpoint, watch];

const NO_RECEIVERS = 'every alert goes nowhere: nobody is told when an SLO burns or a primary fails';
const ADD_RECEIVER = 'add an AlertReceiver (webhook, slack or email)';

/** Every problem with `spec` on `target`. */
export function validateObservabilityStack(
  scope: IConstruct, spec: ObservabilitySpec, target: PlatformTarget, profile = PlatformProfile.PRODUCTION,
): string[] {
  const targetRules = target === PlatformTarget.AWS ? [aws] : [kubernetes];
  const noReceivers = spec.receivers.length === 0 && !profile.allowsReducedAvailability && !existingAlertRouting(spec, target)
    ? [invalidPropMessage(scope, 'receivers', `is empty: ${NO_RECEIVERS}`, [], `${ADD_RECEIVER}; the development profile allows none, with a warning`)]
    : [];
  return [
    ...runRules(scope, spec, [...COMMON_RULES, ...targetRules]), ...logProblems(scope, spec, target, profile),
    ...receiverProblems(scope, spec.receivers, target), ...noReceivers,
  ];
}

/**
 * Whether alerts reach an existing setup whose own routing tells people (an existing SNS topic on
 * AWS, a Prometheus Operator's Alertmanager on Kubernetes): `receivers` may then be empty.
 */
function existingAlertRouting(spec: ObservabilitySpec, target: PlatformTarget): boolean {
  return target === PlatformTarget.AWS ? spec.aws.alertTopic !== undefined : spec.kubernetes.prometheusOperator !== undefined;
}

/** The platform's namespace is restricted; node log collection needs a privileged one of its own. */
export function nodeLogNamespaceProblems(scope: IConstruct, spec: ObservabilitySpec, platformNamespace: string): string[] {
  const namespace = spec.kubernetes.nodeLogNamespace;
  return namespace === platformNamespace ? [invalidPropMessage(scope, 'kubernetes.nodeLogCollection.namespace', 'is the platform\'s own namespace', namespace,
    'use a namespace of its own: the collector reads host paths, which needs Pod Security "privileged", and the platform\'s namespace stays "restricted"')] : [];
}

/** Reduced availability that the development profile allows on Kubernetes, as warnings (production allows one replica silently). */
export function observabilityWarnings(spec: ObservabilitySpec, target: PlatformTarget, profile: PlatformProfile): ProfileWarning[] {
  if (!profile.allowsReducedAvailability) return [];
  const noReceivers = spec.receivers.length === 0 && !existingAlertRouting(spec, target) ? [{
    id: 'cdk-portable-platform:observability:receivers',
    message: `receivers is empty, which the development profile allows: ${NO_RECEIVERS}; production needs ${ADD_RECEIVER}`,
  }] : [];
  if (target !== PlatformTarget.KUBERNETES || spec.kubernetes.prometheusOperator) return noReceivers;
  const k = spec.kubernetes;
  return [
    ...noReceivers,
    ...(k.prometheusReplicas === 1 ? [reducedAvailabilityWarning('observability', 'kubernetes.prometheusReplicas', 1,
      'metrics go unrecorded and alerts unevaluated while the only Prometheus restarts', 'at least 2')] : []),
    ...(k.alertmanagerReplicas === 1 ? [reducedAvailabilityWarning('observability', 'kubernetes.alertmanagerReplicas', 1,
      'alerts are not sent while the only Alertmanager restarts', 'at least 2')] : []),
    ...logStoreWarnings(spec, target, profile),
  ];
}
