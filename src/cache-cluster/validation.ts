import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CacheClusterMode, EvictionPolicy } from './engine';
import { primaryProxyWarnings } from './primary-proxy';
import { CLUSTER_BUS_OFFSET } from './redis-config';
import { sentinelWarnings } from './sentinel';
import { CacheClusterSpec, usesSentinels } from './spec';
import { BACKUP_AWS_RULES, BACKUP_KUBERNETES_RULES } from './validation-backup';
import { AWS_RULES, KUBERNETES_RULES } from './validation-targets';
import { invalidPropMessage } from '../platform/errors';
import { isDnsLabel } from '../platform/names';
import { secretReferenceProblems } from '../platform/secret';
import { PlatformTarget } from '../platform/target';
import { integerInRange, Rule, runRules } from '../platform/validation';
import { ProfileWarning } from '../platform/warnings';

/** ElastiCache's limit on replicas per primary (node group), applied on both targets. */
export const MAX_REPLICAS = 5;
/** ElastiCache's limit on node groups (shards) per replication group. */
export const MAX_SHARDS = 500;
/** Replication group ids and StatefulSet names derived from the cache name must stay within limits. */
export const MAX_NAME_LENGTH = 40;

const cacheName: Rule<CacheClusterSpec> = (scope, s) => {
  if (Token.isUnresolved(s.name)) return [];
  if (!isDnsLabel(s.name) || s.name.length > MAX_NAME_LENGTH) {
    return [invalidPropMessage(scope, 'cacheName', 'is not a DNS label of at most 40 characters', s.name,
      'use 1-40 lowercase letters, digits and "-", starting with a letter (ElastiCache replication group ids allow 40)')];
  }
  return [];
};

const replicas: Rule<CacheClusterSpec> = (scope, s) => integerInRange(scope, 'replicas', s.replicas, 0, MAX_REPLICAS)
  .map(m => `${m} replicas per primary, ElastiCache's limit, on both targets`);

const shards: Rule<CacheClusterSpec> = (scope, s) => {
  if (s.mode === CacheClusterMode.REPLICATION) {
    return s.requestedShards !== undefined ? [invalidPropMessage(scope, 'shards', 'is only used in cluster mode', s.requestedShards,
      'set mode: CacheClusterMode.CLUSTER to shard the keyspace, or remove shards')] : [];
  }
  return integerInRange(scope, 'shards', s.shards, 1, MAX_SHARDS).map(m => `${m} (ElastiCache's node group limit)`);
};

const failover: Rule<CacheClusterSpec> = (scope, s) => {
  if (s.mode === CacheClusterMode.CLUSTER && !s.automaticFailover) {
    return [invalidPropMessage(scope, 'automaticFailover', 'cannot be false in cluster mode', false,
      'remove it: ElastiCache requires failover in cluster mode and Redis Cluster always promotes replicas')];
  }
  const problems: string[] = [];
  if (s.automaticFailover && Number.isInteger(s.replicas) && s.replicas < 1) {
    problems.push(invalidPropMessage(scope, 'replicas', 'must be at least 1 with automaticFailover', s.replicas,
      'set replicas ≥ 1 (a failover promotes a replica), or automaticFailover: false for a single node'));
  }
  if (s.automaticFailover && !s.persistence) {
    problems.push(invalidPropMessage(scope, 'persistence', 'cannot be off while automaticFailover is on', false,
      'keep persistence: a primary restarted empty before failure detection would be kept as primary and its replicas ' +
      'would copy the empty data set; set automaticFailover: false for a throwaway cache'));
  }
  return problems;
};

const evictionPolicy: Rule<CacheClusterSpec> = (scope, s) => EvictionPolicy.of(s.evictionPolicy).isKnown ? [] : [
  invalidPropMessage(scope, 'evictionPolicy', 'is not a Redis eviction policy', s.evictionPolicy,
    `use one of ${EvictionPolicy.knownPolicyNames().join(', ')}`),
];

const port: Rule<CacheClusterSpec> = (scope, s) => {
  const max = s.mode === CacheClusterMode.CLUSTER ? 65535 - CLUSTER_BUS_OFFSET : 65535;
  return integerInRange(scope, 'port', s.port, 1024, max).map(m => s.mode === CacheClusterMode.CLUSTER
    ? `${m} (the cluster bus listens on port + ${CLUSTER_BUS_OFFSET})` : m);
};

const auth: Rule<CacheClusterSpec> = (scope, s) => secretReferenceProblems(scope, 'auth', s.auth);

const COMMON_RULES = [cacheName, replicas, shards, failover, evictionPolicy, port, auth];

/** Every problem with `spec` on `target`. */
export function validateCacheCluster(scope: IConstruct, spec: CacheClusterSpec, target: PlatformTarget): string[] {
  return runRules(scope, spec, [...COMMON_RULES, ...(target === PlatformTarget.AWS
    ? [...AWS_RULES, ...BACKUP_AWS_RULES] : [...KUBERNETES_RULES, ...BACKUP_KUBERNETES_RULES])]);
}

/** Reduced availability that the development profile allows on Kubernetes, as warnings (production rejects one Sentinel). */
export function cacheClusterWarnings(spec: CacheClusterSpec, target: PlatformTarget): ProfileWarning[] {
  if (!spec.profile?.allowsReducedAvailability || target !== PlatformTarget.KUBERNETES || !usesSentinels(spec)) return [];
  return [...sentinelWarnings(spec), ...primaryProxyWarnings(spec)];
}
