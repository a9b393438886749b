/**
 * Pure functions producing the Kubernetes init Job's scripts: a POSIX shell driver and three mongosh
 * scripts. Together they initiate every replica set, create the users, add every shard and shard
 * the listed collections. Each step checks the current state first, so a second run changes nothing.
 *
 * No user exists when the Job first runs, and the localhost exception is out of reach from another
 * pod, so the replica-set steps authenticate as the cluster's internal identity (`__system`, whose
 * password is the keyfile); cluster users are created through mongos, as MongoDB recommends.
 */
import { BACKUP_RECORDS, DEFAULT_BACKUP_MAX_AGE_SECONDS } from './backup-records';
import { BACKUP_USER } from './mongo-backup';
import { scriptPrelude, shardingStatements } from './mongo-sharding';
import { ShardedCollectionSpec } from './spec';
import { directUri, MongoTopology, replicaSetsOf, replicaSetUri, routerUri, tlsQuery } from './topology';
import { jsLiteral } from '../platform/escape/javascript';
import { shellComment, shellQuote } from '../platform/escape/shell';
import { requireSecrets, SECRET_RULE_FUNCTION } from '../platform/secret-shell';

/** The user the exporters log in with. */
export const MONITOR_USER = 'metrics';
/** The user the fsyncLock backups of earlier versions logged in with: dropped, its roles could lock writes. */
export const LEGACY_BACKUP_USER = 'backup';
const MONITOR_ROLES = [{ role: 'clusterMonitor', db: 'admin' }, { role: 'read', db: 'local' }];
/**
 * The role and roles Percona Backup for MongoDB documents for its user ("Configure authentication
 * in MongoDB"; percona/percona-backup-mongodb e2e-tests/docker/scripts/start.sh): `pbmAnyAction`
 * (anyAction on anyResource), readWrite on admin (its control collections), backup, restore,
 * clusterMonitor. readWrite on the records: each successful backup is recorded for the backup alert.
 */
export const PBM_ROLE = { role: 'pbmAnyAction', privileges: [{ resource: { anyResource: true }, actions: ['anyAction'] }], roles: [] };
export const BACKUP_ROLES = [
  { role: 'readWrite', db: 'admin' }, { role: 'backup', db: 'admin' }, { role: 'clusterMonitor', db: 'admin' },
  { role: 'restore', db: 'admin' }, { role: PBM_ROLE.role, db: 'admin' }, { role: 'readWrite', db: BACKUP_RECORDS.database },
];
const ROOT_ROLES = [{ role: 'root', db: 'admin' }];

/** Draining is polled every 10 s for up to 50 minutes per Job attempt (its deadline is an hour). */
const DRAIN_POLL_MS = 10_000;
const DRAIN_ATTEMPTS = 300;

/**
 * The variable listing per-service users for the cluster step, as JSON: `[{ user, db, passwordFile }]`.
 * Each password is a file (a Secret key mounted by the Job), never a variable or an argument.
 */
export const SERVICE_USERS_ENV = 'MONGO_SERVICE_USERS';

/** Names of the files in the scripts ConfigMap. */
export const INIT_FILES = {
  driver: 'init.sh',
  initiate: 'replica-set-initiate.js',
  configure: 'replica-set-configure.js',
  cluster: 'cluster.js',
} as const;

function clusterPrelude(topology: MongoTopology, banner: string): string {
  return `${scriptPrelude(banner)}
const TOPOLOGY = ${jsLiteral({ configServers: topology.configServers, shards: topology.shards, draining: topology.draining }, 2)};
const TLS_QUERY = ${jsLiteral(tlsQuery(topology.tls))};

function replicaSetNamed(name) {
  const found = [TOPOLOGY.configServers, ...TOPOLOGY.shards].find(replicaSet => replicaSet.name === name);
  if (!found) throw new Error(\`unknown replica set \${name}\`);
  return found;
}

function authenticateAsCluster() {
  // mongod strips whitespace from the keyfile; what remains is the __system user's password.
  const key = fs.readFileSync(requireEnv('MONGO_KEYFILE'), 'utf8').replace(/\\s+/g, '');
  db.getSiblingDB('local').auth('__system', key);
}

function ensureUser(user, password, roles) {
  const admin = db.getSiblingDB('admin');
  if (admin.getUser(user) !== null) {
    // Roles added by a later version of this script reach existing users too (granting is idempotent).
    admin.grantRolesToUser(user, roles);
    print(\`user \${user} already exists\`);
    return;
  }
  admin.createUser({ user: user, pwd: password, roles: roles });
  print(\`created user \${user}\`);
}

function ensureRole(definition) {
  const admin = db.getSiblingDB('admin');
  if (admin.getRole(definition.role) !== null) {
    admin.updateRole(definition.role, { privileges: definition.privileges, roles: definition.roles });
    return;
  }
  admin.createRole(definition);
  print(\`created role \${definition.role}\`);
}

// The backup agents log in as this user: on the config servers through mongos, on each shard directly.
function ensureBackupUser() {
  ensureRole(${jsLiteral(PBM_ROLE)});
  ensureUser(${JSON.stringify(BACKUP_USER)}, requireEnv('MONGO_BACKUP_PASSWORD'), ${JSON.stringify(BACKUP_ROLES)});
  if (db.getSiblingDB('admin').getUser(${JSON.stringify(LEGACY_BACKUP_USER)}) !== null) {
    db.getSiblingDB('admin').dropUser(${JSON.stringify(LEGACY_BACKUP_USER)});
    print('dropped the user of the former fsyncLock backups');
  }
}
`;
}

/** Step 1, on any one member: initiate the replica set named by REPLICA_SET unless it already is. */
export function replicaSetInitiateScript(topology: MongoTopology): string {
  return `${clusterPrelude(topology, `Initiates one replica set of the sharded cluster "${topology.clusterName}".`)}
function answersPing(host) {
  const connection = new Mongo(\`mongodb://\${host}/?directConnection=true&serverSelectionTimeoutMS=5000\${TLS_QUERY}\`);
  try {
    return connection.getDB('admin').runCommand({ ping: 1 }).ok === 1;
  } finally {
    connection.close();
  }
}

function isInitiated() {
  try {
    rs.status();
    return true;
  } catch (error) {
    if (error.code === 94 || error.codeName === 'NotYetInitialized') return false;
    throw error;
  }
}

function hasPrimary() {
  return rs.status().members.some(member => member.stateStr === 'PRIMARY');
}

const replicaSet = replicaSetNamed(requireEnv('REPLICA_SET'));
authenticateAsCluster();
for (const host of replicaSet.members) {
  waitUntil(\`member \${host}\`, () => answersPing(host));
}
if (isInitiated()) {
  print(\`replica set \${replicaSet.name} is already initiated\`);
} else {
  const members = replicaSet.members.map((host, index) => ({ _id: index, host: host }));
  rs.initiate(replicaSet.role === 'configsvr'
    ? { _id: replicaSet.name, configsvr: true, members: members }
    : { _id: replicaSet.name, members: members });
  print(\`initiated replica set \${replicaSet.name}\`);
}
waitUntil(\`a primary in \${replicaSet.name}\`, () => hasPrimary());
`;
}

/** Step 2, on the primary: add members the topology gained, and the shard-local users. */
export function replicaSetConfigureScript(topology: MongoTopology): string {
  return `${clusterPrelude(topology, `Configures one replica set of the sharded cluster "${topology.clusterName}".`)}
const replicaSet = replicaSetNamed(requireEnv('REPLICA_SET'));
authenticateAsCluster();
const configured = rs.conf().members.map(member => member.host);
for (const host of replicaSet.members) {
  if (configured.includes(host)) continue;
  rs.add({ host: host });
  print(\`added member \${host} to \${replicaSet.name}\`);
}
// Members the topology dropped (membersPerShard lowered: the StatefulSet has deleted their pods)
// leave the configuration, or every restart of a remaining member could cost the set its primary.
// Removing is safe only while the remaining members are a majority of the configured ones.
const dropped = configured.filter(host => !replicaSet.members.includes(host));
if (dropped.length > 0) {
  const kept = configured.length - dropped.length;
  if (kept * 2 <= configured.length) {
    throw new Error(\`\${replicaSet.name}: \${kept} of its \${configured.length} configured members remain, not a majority: ` +
      `no primary can remove the others. Shrink in steps that keep a majority (e.g. 7 → 5 → 3; README: "Changing the topology")\`);
  }
  for (const host of dropped) {
    rs.remove(host);
    print(\`removed member \${host} from \${replicaSet.name}\`);
  }
}
if (replicaSet.role === 'shardsvr') {
  // Direct connections to a shard (its exporters, maintenance) authenticate against shard-local users.
  ensureUser(requireEnv('MONGO_ADMIN_USER'), requireEnv('MONGO_ADMIN_PASSWORD'), ${JSON.stringify(ROOT_ROLES)});
  ensureUser(${JSON.stringify(MONITOR_USER)}, requireEnv('MONGO_MONITOR_PASSWORD'), ${JSON.stringify(MONITOR_ROLES)});
  ensureBackupUser();
}
`;
}

/** Step 3, through mongos: cluster users, every shard, and the sharded collections. */
export function clusterScript(
  topology: MongoTopology, collections: readonly ShardedCollectionSpec[], backupMaxAgeSeconds = DEFAULT_BACKUP_MAX_AGE_SECONDS,
): string {
  return `${clusterPrelude(topology, `Adds the shards of the sharded cluster "${topology.clusterName}" and shards its collections.`)}
authenticateAsCluster();
ensureUser(requireEnv('MONGO_ADMIN_USER'), requireEnv('MONGO_ADMIN_PASSWORD'), ${JSON.stringify(ROOT_ROLES)});
ensureUser(${JSON.stringify(MONITOR_USER)}, requireEnv('MONGO_MONITOR_PASSWORD'), ${JSON.stringify(MONITOR_ROLES)});
ensureBackupUser();

const shardIds = db.adminCommand({ listShards: 1 }).shards.map(shard => shard._id);
// A registered shard that is no longer declared still owns chunks, and its StatefulSet is gone.
const undeclared = shardIds.filter(id => !TOPOLOGY.shards.some(shard => shard.name === id));
if (undeclared.length > 0) {
  throw new Error(\`shards \${undeclared.join(', ')} are registered but no longer declared: their data is unreachable. ` +
    `Raise shards to declare them again, drain them with kubernetes.drainingShards, then lower shards (README: "Changing the topology")\`);
}
for (const shard of TOPOLOGY.shards) {
  if (TOPOLOGY.draining.includes(shard.name)) continue;
  if (shardIds.includes(shard.name)) {
    print(\`shard \${shard.name} is already part of the cluster\`);
    continue;
  }
  sh.addShard(\`\${shard.name}/\${shard.members.join(',')}\`);
  print(\`added shard \${shard.name}\`);
}

// Draining: removeShard moves the shard's chunks away; databases whose primary it is move with
// movePrimary. Each call reports progress; the StatefulSet stays until MongoDB reports completion.
const activeShards = TOPOLOGY.shards.filter(shard => !TOPOLOGY.draining.includes(shard.name)).map(shard => shard.name);
for (const name of TOPOLOGY.draining) {
  if (!shardIds.includes(name)) {
    print(\`shard \${name} is removed: lower shards to delete its StatefulSet\`);
    continue;
  }
  for (let attempt = 1; ; attempt++) {
    const progress = db.adminCommand({ removeShard: name });
    if (progress.state === 'completed') {
      print(\`shard \${name} is removed: lower shards to delete its StatefulSet\`);
      break;
    }
    for (const database of progress.dbsToMove || []) {
      db.adminCommand({ movePrimary: database, to: activeShards[0] });
      print(\`moved the primary of \${database} to \${activeShards[0]}\`);
    }
    if (attempt >= ${DRAIN_ATTEMPTS}) {
      throw new Error(\`shard \${name} is still draining (\${JSON.stringify(progress.remaining)} left): the Job's next attempt continues\`);
    }
    sleep(${DRAIN_POLL_MS});
  }
}

// Backup records: a successful backup inserts one, the TTL index deletes it after the maximum age,
// so the exporters' dbStats object count is 0 exactly when no backup succeeded within that age.
const records = db.getSiblingDB(${JSON.stringify(BACKUP_RECORDS.database)});
const recordsExisted = records.getCollectionNames().includes(${JSON.stringify(BACKUP_RECORDS.collection)});
const ttl = { name: 'at_ttl', expireAfterSeconds: ${backupMaxAgeSeconds} };
const ttlIndex = recordsExisted ? records.getCollection(${JSON.stringify(BACKUP_RECORDS.collection)}).getIndexes().find(index => index.name === ttl.name) : undefined;
if (ttlIndex === undefined) {
  records.getCollection(${JSON.stringify(BACKUP_RECORDS.collection)}).createIndex({ at: 1 }, ttl);
} else if (ttlIndex.expireAfterSeconds !== ttl.expireAfterSeconds) {
  records.runCommand({ collMod: ${JSON.stringify(BACKUP_RECORDS.collection)}, index: ttl });
}
if (!recordsExisted) {
  // A new cluster has had no chance to back up yet: its creation counts as one, once.
  records.getCollection(${JSON.stringify(BACKUP_RECORDS.collection)}).insertOne({ at: new Date(), archive: null, created: true });
}
print('backup records ready');

// Per-service users: readWrite on their own database and nothing else. The password and the roles
// are set on every run, so a rotated Secret or a new database reaches the user with the next Job.
function servicePassword(file) {
  const password = fs.readFileSync(file, 'utf8');
  if (password === '' || /^\\s|\\s$/.test(password)) {
    throw new Error(\`\${file} is empty or begins or ends with whitespace (often the final newline of kubectl create secret --from-file): \` +
      "recreate the Secret with --from-literal or from a file written by printf '%s'");
  }
  return password;
}
for (const service of JSON.parse(env.${SERVICE_USERS_ENV} || '[]')) {
  const admin = db.getSiblingDB('admin');
  const roles = [{ role: 'readWrite', db: service.db }];
  const password = servicePassword(service.passwordFile);
  if (admin.getUser(service.user) === null) {
    admin.createUser({ user: service.user, pwd: password, roles: roles });
    print(\`created user \${service.user} (readWrite on \${service.db})\`);
  } else {
    admin.updateUser(service.user, { pwd: password, roles: roles });
    print(\`updated user \${service.user} (readWrite on \${service.db})\`);
  }
}
${shardingStatements(collections, { enableSharding: true })}`;
}

/** The Job's entry point: runs each step until it succeeds, replica sets first, then mongos. */
export function initDriverScript(topology: MongoTopology, scriptsDir: string): string {
  const steps = replicaSetsOf(topology).flatMap(rs => [
    `retry initiate ${shellQuote(rs.name)} ${rs.members.map(host => shellQuote(directUri(host, topology.tls))).join(' ')}`,
    `retry configure ${shellQuote(rs.name)} ${shellQuote(replicaSetUri(rs, topology.tls))}`,
  ]);
  return `#!/bin/sh
# Bootstraps the sharded cluster "${shellComment(topology.clusterName)}". Generated by cdk-portable-platform.
# Every step is idempotent, so the Job may run again (e.g. after the topology grows).
set -eu
export HOME=/tmp
scripts=${shellQuote(scriptsDir)}

${SECRET_RULE_FUNCTION}
${requireSecrets(['MONGO_ADMIN_PASSWORD', 'MONGO_MONITOR_PASSWORD', 'MONGO_BACKUP_PASSWORD'])}

# Members and routers may still be starting: run a step until it succeeds.
retry() {
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge 60 ]; then
      echo "giving up after $attempt attempts: $*" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 5
  done
}

# Initiates replica set $1 through the first of its members (URIs $2...) that answers.
initiate() {
  replica_set=$1
  shift
  for uri in "$@"; do
    if REPLICA_SET=$replica_set mongosh --quiet "$uri" --file "$scripts/${INIT_FILES.initiate}"; then
      return 0
    fi
  done
  return 1
}

# Adds missing members and shard-local users through the primary of replica set $1 (URI $2).
configure() {
  REPLICA_SET=$1 mongosh --quiet "$2" --file "$scripts/${INIT_FILES.configure}"
}

${steps.join('\n')}
retry mongosh --quiet ${shellQuote(routerUri(topology))} --file "$scripts/${INIT_FILES.cluster}"
echo ${shellQuote(`sharded cluster ${topology.clusterName} is ready`)}
`;
}
