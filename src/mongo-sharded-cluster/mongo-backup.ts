/**
 * Pure functions producing the Kubernetes backup CronJob's scripts.
 *
 * `mongodump --oplog` cannot run through mongos, and dumping shards one by one is not a point in
 * time. MongoDB's documented procedure for a consistent dump of a sharded cluster (7.0.2+, 6.0.11+)
 * is: stop the balancer, lock writes on the whole cluster with `fsyncLock` through mongos, dump
 * through mongos, then unlock and restart the balancer. These scripts follow it; the unlock runs on
 * any exit of the dump, including SIGTERM.
 */
import { BACKUP_RECORDS } from './backup-records';
import { scriptPrelude } from './mongo-sharding';
import { shellComment, shellQuote } from '../platform/escape/shell';
import { requireSecrets, SECRET_RULE_FUNCTION } from '../platform/secret-shell';

/** Names of the backup files in the scripts ConfigMap. */
export const BACKUP_FILES = {
  dump: 'backup.sh',
  lock: 'backup-lock.js',
  unlock: 'backup-unlock.js',
  upload: 'backup-upload.sh',
  record: 'backup-record.js',
  recordAfterUpload: 'backup-record.sh',
} as const;

/** Where the lock step records whether the balancer was running, for the unlock step. */
const STATE_FILE = '/tmp/backup-state.json';

/** Stops the balancer (remembering whether it ran) and, when `blockWrites`, locks writes. */
export function backupLockScript(blockWrites: boolean): string {
  const lock = blockWrites ? `
// Blocks writes on every shard until fsyncUnlock (mongos forwards the lock, MongoDB 7.0.2+ / 6.0.11+).
db.getSiblingDB('admin').fsyncLock();
print('writes locked on every shard');
` : `
print('writes are NOT locked (backupBlocksWrites is false): the dump is not a point in time');
`;
  return `${scriptPrelude('Prepares a consistent dump of a sharded cluster: no chunk migrations, no writes.', false)}
db.getSiblingDB('admin').auth(requireEnv('MONGO_BACKUP_USER'), requireEnv('MONGO_BACKUP_PASSWORD'));
const balancerWasEnabled = sh.getBalancerState();
fs.writeFileSync(${JSON.stringify(STATE_FILE)}, JSON.stringify({ balancerWasEnabled: balancerWasEnabled }));
// Returns once a balancing round in progress has finished.
sh.stopBalancer();
waitUntil('the balancer to stop', () => sh.getBalancerState() === false);
${lock}`;
}

/** Records a successful backup (the alert on backups reads the count of recent records). */
export function backupRecordScript(): string {
  return `${scriptPrelude('Records a successful backup; the TTL index set by the init Job deletes the record when it is too old.', false)}
db.getSiblingDB('admin').auth(requireEnv('MONGO_BACKUP_USER'), requireEnv('MONGO_BACKUP_PASSWORD'));
db.getSiblingDB(${JSON.stringify(BACKUP_RECORDS.database)}).getCollection(${JSON.stringify(BACKUP_RECORDS.collection)})
  .insertOne({ at: new Date(), archive: env.BACKUP_ARCHIVE || null });
print('backup recorded');
`;
}

/** Unlocks writes and restarts the balancer if it ran before; safe when the lock step failed half-way. */
export function backupUnlockScript(blockWrites: boolean): string {
  const unlock = blockWrites ? `
try {
  db.getSiblingDB('admin').fsyncUnlock();
  print('writes unlocked');
} catch (error) {
  if (!/not locked/i.test(error.message)) throw error;
  print('writes were not locked');
}
` : '';
  return `${scriptPrelude('Ends a dump of a sharded cluster: unlocks writes, restarts the balancer if it ran before.', false)}
db.getSiblingDB('admin').auth(requireEnv('MONGO_BACKUP_USER'), requireEnv('MONGO_BACKUP_PASSWORD'));
${unlock}
// No state file: the lock step stopped nothing, so the balancer is left as it is.
const state = fs.existsSync(${JSON.stringify(STATE_FILE)})
  ? JSON.parse(fs.readFileSync(${JSON.stringify(STATE_FILE)}, 'utf8'))
  : { balancerWasEnabled: false };
if (state.balancerWasEnabled) {
  sh.startBalancer();
  print('balancer restarted');
} else {
  print('balancer left as it was before the backup');
}
`;
}

export interface DumpScriptOptions {
  /** Cluster name, for messages. */
  readonly clusterName: string;
  /** URI of the routers, without credentials. */
  readonly routerUri: string;
  /** Directory of the scripts ConfigMap. */
  readonly scriptsDir: string;
  /** Directory receiving the archive. */
  readonly outputDir: string;
  /**
   * Delete archives in `outputDir` older than this many days, and record the backup as successful
   * (a volume target); undefined keeps them and records nothing (an upload follows, then the record).
   */
  readonly pruneAfterDays?: number;
}

/** The dump container's entry point. */
export function dumpScript(options: DumpScriptOptions): string {
  const prune = options.pruneAfterDays === undefined ? '' : `
# Retention: delete dumps older than ${options.pruneAfterDays} days, and parts of failed ones.
find "$output" -maxdepth 1 -type f -name '*.archive.gz' -mtime +${options.pruneAfterDays - 1} -print -delete
find "$output" -maxdepth 1 -type f -name '*.archive.gz.partial' -mtime +0 -print -delete
`;
  return `#!/bin/sh
# Dumps the sharded cluster "${shellComment(options.clusterName)}" through mongos. Generated by cdk-portable-platform.
set -eu
umask 077
export HOME=/tmp
scripts=${shellQuote(options.scriptsDir)}
output=${shellQuote(options.outputDir)}
uri=${shellQuote(options.routerUri)}
archive="$output/$(date -u +%Y%m%dT%H%M%SZ).archive.gz"

${SECRET_RULE_FUNCTION}
${requireSecrets(['MONGO_BACKUP_PASSWORD'])}

# mongodump reads the password from a file in the pod's own /tmp, never from its arguments.
config="\${TMPDIR:-/tmp}/mongodump.yaml"
escaped=$(printf '%s' "$MONGO_BACKUP_PASSWORD" | sed "s/'/''/g")
printf "password: '%s'\\n" "$escaped" > "$config"

unlock() {
  mongosh --quiet "$uri" --file "$scripts/${BACKUP_FILES.unlock}" ||
    echo 'WARNING: could not unlock the cluster: run db.fsyncUnlock() and sh.startBalancer() through mongos' >&2
}
dump_pid=
on_signal() {
  if [ -n "$dump_pid" ]; then kill "$dump_pid" 2>/dev/null || true; fi
  exit 143
}
trap unlock EXIT
trap on_signal TERM INT

mongosh --quiet "$uri" --file "$scripts/${BACKUP_FILES.lock}"
mongodump --uri="$uri" --username="$MONGO_BACKUP_USER" --config="$config" \\
  --archive="$archive.partial" --gzip &
dump_pid=$!
wait "$dump_pid"
dump_pid=
trap - EXIT
unlock
mv "$archive.partial" "$archive"
echo "dump written to $archive"
${prune}${options.pruneAfterDays === undefined ? '' : `BACKUP_ARCHIVE="\${archive##*/}" mongosh --quiet "$uri" --file "$scripts/${BACKUP_FILES.record}"
`}`;
}

/** The last container of an S3 backup: records the backup once the upload has succeeded. */
export function recordAfterUploadScript(routerUri: string, scriptsDir: string): string {
  return `#!/bin/sh
# Records a backup whose upload succeeded. Generated by cdk-portable-platform.
set -eu
export HOME=/tmp
${SECRET_RULE_FUNCTION}
${requireSecrets(['MONGO_BACKUP_PASSWORD'])}
mongosh --quiet ${shellQuote(routerUri)} --file ${shellQuote(`${scriptsDir}/${BACKUP_FILES.record}`)}
`;
}

export interface UploadScriptOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly endpoint?: string;
  readonly inputDir: string;
  readonly retentionDays: number;
}

/** The upload container's entry point (aws-cli image): upload the dump, delete expired ones. */
export function uploadScript(options: UploadScriptOptions): string {
  const endpoint = options.endpoint ? ` --endpoint-url ${shellQuote(options.endpoint)}` : '';
  return `#!/bin/sh
# Uploads the dump to s3://${options.bucket}/${options.prefix} and deletes dumps older than ${options.retentionDays} days.
# Generated by cdk-portable-platform.
set -eu
export HOME=/tmp
${SECRET_RULE_FUNCTION}
${requireSecrets(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])}
bucket=${shellQuote(options.bucket)}
prefix=${shellQuote(options.prefix)}
s3() { aws${endpoint} "$@"; }

uploaded=0
for archive in ${shellQuote(options.inputDir)}/*.archive.gz; do
  [ -e "$archive" ] || continue
  s3 s3 cp "$archive" "s3://$bucket/$prefix\${archive##*/}" --only-show-errors
  echo "uploaded \${archive##*/}"
  uploaded=$((uploaded + 1))
done
if [ "$uploaded" -eq 0 ]; then
  echo 'no dump to upload' >&2
  exit 1
fi

# Dumps are named by their UTC start time, so names older than the cutoff are expired.
cutoff=$(date -u -d "@$(( $(date -u +%s) - ${options.retentionDays} * 86400 ))" +%Y%m%dT%H%M%SZ)
s3 s3api list-objects-v2 --bucket "$bucket" --prefix "$prefix" --query 'Contents[].Key' --output text |
  tr '\\t' '\\n' |
  while read -r key; do
    stamp=\${key#"$prefix"}
    stamp=\${stamp%.archive.gz}
    case "$stamp" in
      [0-9]*T[0-9]*Z) ;;
      *) continue ;;
    esac
    if expr "$stamp" \\< "$cutoff" > /dev/null; then
      s3 s3 rm "s3://$bucket/$key" --only-show-errors
      echo "deleted expired $key"
    fi
  done
`;
}
