import { Token } from 'aws-cdk-lib';
import { clusterModeShards } from './cluster-mode';
import { PROXY_HEALTH_PORT } from './haproxy-config';
import { EXPORTER_PORT, SENTINEL_PORT } from './redis-config';
import { sentinelCount } from './sentinel';
import { CacheClusterSpec } from './spec';
import { parseDailyWindow, parseWeeklyWindow, weeklyOverlapsDaily, windowMinutes } from './windows';
import { invalidPropMessage } from '../platform/errors';
import { DNS_SUBDOMAIN_HINT, isDnsSubdomain } from '../platform/grammar/kubernetes-names';
import { PlatformTarget } from '../platform/target';
import { integerInRange, isPinnedImage, numberAbove, Rule } from '../platform/validation';

const NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;

const nodeType: Rule<CacheClusterSpec> = (scope, s) => Token.isUnresolved(s.aws.nodeType) || NODE_TYPE.test(s.aws.nodeType) ? [] : [
  invalidPropMessage(scope, 'aws.nodeType', 'is not an ElastiCache node type', s.aws.nodeType, 'use cache.<family>.<size>, e.g. cache.r7g.large'),
];

const engineVersion: Rule<CacheClusterSpec> = (scope, s) => {
  const v = s.aws.engineVersion;
  if (Token.isUnresolved(v) || (/^\d+\.\d+$/.test(v) && v.split('.')[0] === s.engine.majorVersion)) return [];
  return [invalidPropMessage(scope, 'aws.engineVersion', `is not a ${s.engine.engineName} ${s.engine.majorVersion}.x version`, v,
    `use major.minor within the engine's major version, e.g. ${s.engine.defaultAwsVersion}`)];
};

const nameOnAws: Rule<CacheClusterSpec> = (scope, s) => s.name.includes('--') ? [
  invalidPropMessage(scope, 'cacheName', 'contains two consecutive hyphens', s.name, 'ElastiCache replication group ids cannot; use single hyphens'),
] : [];

const snapshots: Rule<CacheClusterSpec> = (scope, s) => {
  const a = s.aws;
  const problems = integerInRange(scope, 'aws.snapshotRetentionDays', a.snapshotRetentionDays, 0, 35);
  if (problems.length > 0) return problems;
  if (s.persistence && a.snapshotRetentionDays === 0) {
    problems.push(invalidPropMessage(scope, 'aws.snapshotRetentionDays', 'must be at least 1 while persistence is on', 0,
      'set 1-35 days, or persistence: false for a cache without snapshots'));
  }
  if (!s.persistence && a.snapshotRetentionDays > 0) {
    problems.push(invalidPropMessage(scope, 'aws.snapshotRetentionDays', 'must be 0 when persistence is off', a.snapshotRetentionDays,
      'remove it, or keep persistence on'));
  }
  const daily = parseDailyWindow(a.snapshotWindow);
  const weekly = parseWeeklyWindow(a.maintenanceWindow);
  if (!daily || windowMinutes(daily) < 60) {
    problems.push(invalidPropMessage(scope, 'aws.snapshotWindow', 'is not a UTC window of at least 60 minutes', a.snapshotWindow, 'use hh:mm-hh:mm, e.g. "03:00-05:00"'));
  }
  if (!weekly || windowMinutes(weekly) < 60) {
    problems.push(invalidPropMessage(scope, 'aws.maintenanceWindow', 'is not a weekly UTC window of at least 60 minutes', a.maintenanceWindow,
      'use ddd:hh:mm-ddd:hh:mm, e.g. "sun:05:30-sun:07:30"'));
  }
  if (daily && weekly && a.snapshotRetentionDays > 0 && weeklyOverlapsDaily(weekly, daily)) {
    problems.push(invalidPropMessage(scope, 'aws.maintenanceWindow', 'overlaps the snapshot window', `${a.maintenanceWindow} / ${a.snapshotWindow}`,
      'ElastiCache rejects overlapping windows: move one of them'));
  }
  return problems;
};

const authentication: Rule<CacheClusterSpec> = (scope, s) => s.aws.userGroupId && s.auth ? [
  invalidPropMessage(scope, 'auth', 'cannot be combined with aws.userGroupId', s.aws.userGroupId,
    'authenticate either with one AUTH token (auth) or with the users of an RBAC user group (aws.userGroupId)'),
] : [];

export const AWS_RULES: Rule<CacheClusterSpec>[] = [nodeType, engineVersion, nameOnAws, snapshots, authentication];

const engineOnKubernetes: Rule<CacheClusterSpec> = (scope, s) => s.engine.availableOnKubernetes ? [] : [
  invalidPropMessage(scope, 'engine', `is not supported on ${PlatformTarget.KUBERNETES}`, `${s.engine.engineName} ${s.engine.defaultAwsVersion}`,
    'use CacheEngine.REDIS_7 (Valkey is offered on aws only)'),
];

const images: Rule<CacheClusterSpec> = (scope, s) => (['image', 'exporterImage', 'proxyImage'] as const)
  .filter(prop => !Token.isUnresolved(s.kubernetes[prop]) && !isPinnedImage(s.kubernetes[prop]))
  .map(prop => invalidPropMessage(scope, `kubernetes.${prop}`, 'is not pinned', s.kubernetes[prop],
    'use an explicit tag other than "latest" (repo:1.2.3) or a digest (repo@sha256:…) so every pod runs the same build'));

const sizing: Rule<CacheClusterSpec> = (scope, s) => {
  const k = s.kubernetes;
  return [
    ...integerInRange(scope, 'kubernetes.proxyReplicas', k.proxyReplicas, 1, 10),
    ...numberAbove(scope, 'kubernetes.cpu', k.cpu, 0, 64),
    ...(k.memoryMiB < 64 ? [invalidPropMessage(scope, 'kubernetes.memory', 'is too small', `${k.memoryMiB} MiB`, 'give Redis at least 64 MiB')] : []),
    ...(k.storageMiB < 1024 ? [invalidPropMessage(scope, 'kubernetes.storage', 'is too small', `${k.storageMiB} MiB`, 'use at least 1 GiB: the AOF and snapshots live there')] : []),
    ...integerInRange(scope, 'kubernetes.failureDetection', k.failureDetectionMs, 1000, 60_000).map(m => m.replace('use an integer from 1000 to 60000', 'use 1-60 seconds')),
    ...integerInRange(scope, 'kubernetes.runAsUser', k.runAsUser, 1, 2147483647).map(m => m.replace('is out of range', 'must be a non-root user id')),
  ];
};

const portsOnKubernetes: Rule<CacheClusterSpec> = (scope, s) => [SENTINEL_PORT, EXPORTER_PORT, PROXY_HEALTH_PORT].includes(s.port) ? [
  invalidPropMessage(scope, 'port', `collides with a port the cache uses on ${PlatformTarget.KUBERNETES}`, s.port,
    `avoid ${SENTINEL_PORT} (Sentinel), ${EXPORTER_PORT} (redis_exporter) and ${PROXY_HEALTH_PORT} (proxy health)`),
] : [];

const tlsSecret: Rule<CacheClusterSpec> = (scope, s) => {
  const name = s.kubernetes.tlsSecretName;
  if (s.kubernetes.tlsSecretNameSet && !s.kubernetes.tls) {
    return [invalidPropMessage(scope, 'kubernetes.tlsSecretName', 'is only used with TLS', name, 'remove it, or set kubernetes.tls to true')];
  }
  if (Token.isUnresolved(name) || isDnsSubdomain(name)) return [];
  return [invalidPropMessage(scope, 'kubernetes.tlsSecretName', 'is not a Secret name', name, DNS_SUBDOMAIN_HINT)];
};

export const KUBERNETES_RULES: Rule<CacheClusterSpec>[] = [
  engineOnKubernetes, images, sentinelCount, clusterModeShards, sizing, portsOnKubernetes, tlsSecret,
];
