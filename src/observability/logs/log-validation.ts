import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { invalidPropMessage } from '../../platform/errors';
import { hasUserInfo, isHttpUrl, USERINFO_HINT } from '../../platform/grammar/url';
import { PlatformProfile } from '../../platform/profile';
import { PlatformSecret } from '../../platform/secret';
import { PlatformTarget } from '../../platform/target';
import { integerInRange } from '../../platform/validation';
import { ProfileWarning, reducedAvailabilityWarning } from '../../platform/warnings';
import { ObservabilitySpec } from '../spec';

/** The retention periods CloudWatch Logs offers, in days. */
const CLOUDWATCH_RETENTION_DAYS = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0).sort((a, b) => a - b);
/** Elasticsearch index names: lowercase, no `\ / * ? " < > | , #` or space, not starting with `-`, `_` or `+`. */
const ES_INDEX = /^[a-z0-9][a-z0-9._+-]{0,254}$/;
/** OpenSearch data stream parts (`ss4o_logs-<dataset>-<namespace>`): a `-` would blur the boundaries. */
const SS4O_PART = /^[a-z0-9_]{1,100}$/;
const PRINTABLE = /^[^\0-\x1f\x7f\u2028\u2029]{1,256}$/;

/** Every problem with where logs go, on `target` under `profile`. */
export function logProblems(scope: IConstruct, spec: ObservabilitySpec, target: PlatformTarget, profile: PlatformProfile): string[] {
  const d = spec.logs;
  const problems: string[] = [];
  if (spec.conflictingLogProps) {
    problems.push(invalidPropMessage(scope, 'logsEndpoint', 'is set together with logs', spec.logsEndpoint,
      'set only logs: logsEndpoint is deprecated; use logs: LogDestination.otlp({ url })'));
  }
  const factory = { platform: 'platformStore', otlp: 'otlp', elasticsearch: 'elasticsearch', opensearch: 'openSearch' }[d.kind];
  if (target === PlatformTarget.AWS && (d.kind === 'elasticsearch' || d.kind === 'opensearch')) {
    problems.push(invalidPropMessage(scope, 'logs', 'is not supported on aws', `LogDestination.${factory}`,
      'the ADOT collector has no Elasticsearch or OpenSearch exporter: use LogDestination.otlp (e.g. an OpenSearch Ingestion or vendor OTLP endpoint) or LogDestination.platformStore() (CloudWatch Logs)'));
  }
  const legacy = spec.logsEndpoint !== undefined && (spec.conflictingLogProps || d.url === spec.logsEndpoint);
  if (d.url !== undefined && !spec.conflictingLogProps) {
    // The deprecated logsEndpoint has its own grammar rule; only the transport rule is added here.
    problems.push(...legacy ? httpsProblems(scope, 'logsEndpoint', d.url, profile) : urlProblems(scope, d.url, profile));
  }
  if (d.kind === 'platform' && d.retention !== undefined) problems.push(...retentionProblems(scope, d.retention.toHours({ integral: false }) / 24, target));
  if (d.index !== undefined && !ES_INDEX.test(d.index)) {
    problems.push(invalidPropMessage(scope, 'logs.index', 'is not an Elasticsearch index name', d.index,
      'use lowercase letters, digits and . _ + -, starting with a letter or digit, at most 255 characters'));
  }
  for (const [prop, value] of [['logs.dataset', d.dataset], ['logs.namespace', d.namespace]] as const) {
    if (value !== undefined && !SS4O_PART.test(value)) {
      problems.push(invalidPropMessage(scope, prop, 'is not a data stream name part', value, 'use 1-100 lowercase letters, digits and "_" (a "-" separates the parts of ss4o_logs-<dataset>-<namespace>)'));
    }
  }
  if (d.credentials && !PRINTABLE.test(d.credentials.username)) {
    problems.push(invalidPropMessage(scope, 'logs.credentials.username', 'is empty, too long or holds control characters', d.credentials.username,
      'use 1-256 printable characters'));
  }
  const secrets: Array<[string, PlatformSecret | undefined]> = [['logs.authorizationSecret', d.authorizationSecret], ['logs.credentials.passwordSecret', d.credentials?.passwordSecret]];
  for (const [prop, secret] of secrets) {
    if (secret && target === PlatformTarget.KUBERNETES && (secret.secretsManagerSecret || !secret.secretName)) {
      problems.push(invalidPropMessage(scope, prop, 'is a Secrets Manager secret on kubernetes', 'Secrets Manager secret',
        "use PlatformSecret.named(name, key) to reference a Kubernetes Secret by name, e.g. PlatformSecret.named('logs-store', 'password')"));
    }
  }
  if (target === PlatformTarget.KUBERNETES && d.kind === 'platform') {
    problems.push(
      ...integerInRange(scope, 'kubernetes.logStoreReplicas', spec.kubernetes.logStoreReplicas, 1, 5),
      ...integerInRange(scope, 'kubernetes.logStorage (GiB)', spec.kubernetes.logStorageGiB, 1, 65536),
    );
  }
  return problems;
}

function urlProblems(scope: IConstruct, url: string, profile: PlatformProfile): string[] {
  if (Token.isUnresolved(url)) return [];
  if (!isHttpUrl(url)) {
    return [invalidPropMessage(scope, 'logs.url', 'is not an http(s) URL', url,
      'use the base URL of the log store, e.g. "https://logs.example.com" (URL characters only: no spaces, quotes or braces)')];
  }
  if (hasUserInfo(url)) return [invalidPropMessage(scope, 'logs.url', 'carries credentials in its URL', '<redacted>', USERINFO_HINT)];
  return httpsProblems(scope, 'logs.url', url, profile);
}

function httpsProblems(scope: IConstruct, prop: string, url: string, profile: PlatformProfile): string[] {
  if (Token.isUnresolved(url) || profile.allowsReducedAvailability || !isHttpUrl(url) || isHttpUrl(url, true)) return [];
  return [invalidPropMessage(scope, prop, 'is not https under the production profile', url,
    'use an https URL: logs carry request data, and credentials travel with them; the development profile allows http')];
}

function retentionProblems(scope: IConstruct, days: number, target: PlatformTarget): string[] {
  if (!Number.isInteger(days) || days < 1 || days > 3653) {
    return [invalidPropMessage(scope, 'logs retention', 'is not a whole number of days from 1 to 3653', `${days} days`,
      'use Duration.days(n): the log store deletes whole days of logs')];
  }
  if (target === PlatformTarget.AWS && !CLOUDWATCH_RETENTION_DAYS.includes(days)) {
    return [invalidPropMessage(scope, 'logs retention', 'is not a CloudWatch Logs retention period on aws', `${days} days`,
      `use one of ${CLOUDWATCH_RETENTION_DAYS.join(', ')} days`)];
  }
  return [];
}

/** Reduced availability of the in-cluster log store under the development profile. */
export function logStoreWarnings(spec: ObservabilitySpec, target: PlatformTarget, profile: PlatformProfile): ProfileWarning[] {
  if (!profile.allowsReducedAvailability || target !== PlatformTarget.KUBERNETES || spec.logs.kind !== 'platform') return [];
  return spec.kubernetes.logStoreReplicas === 1 ? [reducedAvailabilityWarning('observability', 'kubernetes.logStoreReplicas', 1,
    'logs are not searchable while the only Loki restarts, and a lost volume loses every log', 'at least 2')] : [];
}
