import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MongoShardedClusterSpec } from './spec';
import { AWS_RULES, KUBERNETES_RULES } from './validation-targets';
import { invalidPropMessage } from '../platform/errors';
import { CRON_HINT, cronProblem } from '../platform/grammar/cron';
import { isDnsLabel } from '../platform/names';
import { secretReferenceProblems } from '../platform/secret';
import { PlatformTarget } from '../platform/target';
import { grammarProblem, integerInRange, Rule, runRules } from '../platform/validation';
import { ProfileWarning, reducedAvailabilityWarning } from '../platform/warnings';

/** Longest cluster name: derived names (`<name>-configsvr`, pods, claims, revision labels) must stay within 63 characters. */
export const MAX_NAME_LENGTH = 40;
/** Users the construct creates itself. */
export const RESERVED_USERNAMES = ['admin', 'root', 'metrics', 'backup', 'pbm', 'serviceadmin'];
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const DATABASE = /^[A-Za-z0-9_-]{1,63}$/;

type MongoRule = Rule<MongoShardedClusterSpec>;

const clusterName: MongoRule = (scope, s) => isDnsLabel(s.name) && s.name.length <= MAX_NAME_LENGTH ? [] : [
  invalidPropMessage(scope, 'clusterName', 'is not a DNS label of at most 40 characters', s.name,
    'use lowercase letters, digits and "-", starting with a letter (derived names such as "<name>-configsvr-0" must fit in 63)'),
];

/** An odd replica-set size of at least 3 (or 1, when the profile allows reduced availability). */
function replicaSetSize(scope: IConstruct, prop: string, value: number, what: string, allowSingle = false): string[] {
  if (allowSingle && value === 1) return []; // a warning instead (mongoShardedClusterWarnings)
  if (!Number.isInteger(value) || value < (allowSingle ? 1 : 3)) {
    return [invalidPropMessage(scope, prop, 'is too small', value,
      `${what} needs at least 3 members (an odd number), so a majority survives the loss of one`)];
  }
  if (value % 2 === 0) {
    return [invalidPropMessage(scope, prop, 'must be odd', value,
      `an even replica set cannot elect a primary after a split into halves; use ${value - 1} or ${value + 1}`)];
  }
  return [];
}

const topology: MongoRule = (scope, s) => [
  ...(Number.isInteger(s.shards) && s.shards === 0
    ? [invalidPropMessage(scope, 'shards', 'must be at least 1', s.shards, 'a sharded cluster needs 1 to 32 shards')]
    : integerInRange(scope, 'shards', s.shards, 1, 32)),
  ...replicaSetSize(scope, 'membersPerShard', s.membersPerShard, 'each shard\'s replica set', s.profile?.allowsReducedAvailability),
  ...replicaSetSize(scope, 'configServers', s.configServers, 'the config-server replica set', s.profile?.allowsReducedAvailability),
  ...integerInRange(scope, 'routers', s.routers, s.profile?.allowsReducedAvailability ? 1 : 2, 100).map(m => m.replace('is out of range', 'is out of range (two or more keep routing up through a node failure)')),
  ...(s.arbitersPerShard === 0 ? [] : [invalidPropMessage(scope, 'arbitersPerShard', 'is not supported', s.arbitersPerShard,
    'arbiters hold no data, so a shard with a down member keeps acknowledging writes a majority never stores; use an odd membersPerShard instead')]),
];

const storage: MongoRule = (scope, s) => Number.isInteger(s.storageGiB) && s.storageGiB >= 1 && s.storageGiB <= 65536 ? [] : [
  invalidPropMessage(scope, 'storageSize', 'is not a valid volume size', `${s.storageGiB} GiB`, 'use whole gibibytes from 1 to 65536 (Size.gibibytes(n))'),
];

const adminUsername: MongoRule = (scope, s) => {
  if (Token.isUnresolved(s.adminUsername)) return [];
  if (!/^[A-Za-z][A-Za-z0-9]{0,62}$/.test(s.adminUsername)) {
    return [invalidPropMessage(scope, 'adminUsername', 'is not a valid user name', s.adminUsername, 'use 1-63 letters and digits, starting with a letter')];
  }
  return RESERVED_USERNAMES.includes(s.adminUsername.toLowerCase()) ? [invalidPropMessage(scope, 'adminUsername', 'is reserved', s.adminUsername,
    `choose a name other than ${RESERVED_USERNAMES.join(', ')} (built-in or created by the construct)`)] : [];
};

const backup: MongoRule = (scope, s) => [
  ...grammarProblem(scope, 'backup.schedule', Token.isUnresolved(s.backup.schedule) ? undefined : cronProblem(s.backup.schedule), s.backup.schedule, CRON_HINT),
  ...(Number.isInteger(s.backup.retentionDays) && s.backup.retentionDays >= 7 && s.backup.retentionDays <= 3650 ? [] : [
    invalidPropMessage(scope, 'backup.retention', 'is out of range', `${s.backup.retentionDays} days`, 'keep backups whole days, from 7 to 3650'),
  ]),
];

/** Problems with one `database.collection` namespace. */
function namespaceProblems(scope: IConstruct, namespace: string): string[] {
  const dot = namespace.indexOf('.');
  const database = dot < 0 ? '' : namespace.slice(0, dot);
  const collection = dot < 0 ? '' : namespace.slice(dot + 1);
  const problem = !DATABASE.test(database) ? 'names no valid database'
    : ['admin', 'config', 'local'].includes(database) ? 'is in a system database'
      : collection === '' || collection.includes('$') || collection.startsWith('system.') ? 'names no valid collection'
        : undefined;
  return problem ? [invalidPropMessage(scope, 'shardedCollections', problem, namespace,
    'use "database.collection": a database of letters, digits, "_" or "-" (not admin, config or local) and a collection without "$" or a "system." prefix')] : [];
}

const collections: MongoRule = (scope, s) => {
  const namespaces = s.collections.map(c => c.namespace);
  const duplicates = [...new Set(namespaces.filter((ns, i) => namespaces.indexOf(ns) !== i))];
  return [
    ...namespaces.flatMap(ns => namespaceProblems(scope, ns)),
    ...duplicates.map(ns => invalidPropMessage(scope, 'shardedCollections', 'lists a collection twice', ns, 'list each namespace once')),
  ];
};

const shardKeys: MongoRule = (scope, s) => Object.entries(s.shardKeys).flatMap(([namespace, key]) => {
  if (!s.collections.some(c => c.namespace === namespace)) {
    return [invalidPropMessage(scope, `shardKeys.${namespace}`, 'is a shard key for a collection that is not listed', namespace,
      `add "${namespace}" to shardedCollections, or remove its key (listed: ${s.collections.map(c => c.namespace).join(', ') || 'none'})`)];
  }
  if (key.fields.length === 0 || key.fields.some(f => !FIELD.test(f)) || new Set(key.fields).size !== key.fields.length) {
    return [invalidPropMessage(scope, `shardKeys.${namespace}`, 'has invalid fields', key.fields,
      'name one or more distinct document fields (letters, digits, "_", dotted paths), none starting with "$"')];
  }
  return [];
});

const adminPassword: MongoRule = (scope, s) => secretReferenceProblems(scope, 'adminPassword', s.adminPassword);

const COMMON_RULES: MongoRule[] = [clusterName, topology, storage, adminUsername, adminPassword, backup, collections, shardKeys];

/** Every problem with `spec` on `target`. */
export function validateMongoShardedCluster(scope: IConstruct, spec: MongoShardedClusterSpec, target: PlatformTarget): string[] {
  const rules = target === PlatformTarget.AWS ? [...COMMON_RULES, ...AWS_RULES] : [...COMMON_RULES, ...KUBERNETES_RULES];
  return runRules(scope, spec, rules);
}

/** Reduced availability that the development profile allows, as warnings (production rejects each). */
export function mongoShardedClusterWarnings(spec: MongoShardedClusterSpec, target: PlatformTarget): ProfileWarning[] {
  if (!spec.profile?.allowsReducedAvailability) return [];
  const warn = (prop: string, consequence: string, production: string) => reducedAvailabilityWarning('mongo-sharded-cluster', prop, 1, consequence, production);
  return [
    ...(spec.membersPerShard === 1 ? [warn('membersPerShard', 'a shard is unavailable while its only member restarts, and a lost volume loses its data', 'an odd number, at least 3')] : []),
    // DocumentDB Elastic manages config servers and routing itself.
    ...(target === PlatformTarget.KUBERNETES && spec.configServers === 1 ? [warn('configServers', 'the cluster stops routing while the only config server restarts', 'an odd number, at least 3')] : []),
    ...(target === PlatformTarget.KUBERNETES && spec.routers === 1 ? [warn('routers', 'clients cannot connect while the only mongos restarts', 'at least 2')] : []),
  ];
}
