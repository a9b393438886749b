import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { App, Chart } from 'cdk8s';
import { CacheCluster, CacheClusterMode, CacheClusterProps, CacheRestoreSource } from '../../src/cache-cluster';
import { BACKUP_FILES, BACKUP_RECORD_KEY } from '../../src/cache-cluster/backup-scripts';
import { BackupTarget } from '../../src/platform/backup-target';
import { NON_PUBLIC_IPV4_RANGES } from '../../src/platform/internet';
import { FINISHED_JOB_TTL_SECONDS } from '../../src/platform/kubernetes-job';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformSecret } from '../../src/platform/secret';
import { expectAwsConformance } from '../conformance/aws';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf, objectsOfKind, ownerLabel } from '../util';

const S3 = BackupTarget.s3({
  bucket: 'acme-backups',
  prefix: 'redis/sessions/',
  accessKeyId: PlatformSecret.named('backup-s3', 'id'),
  secretAccessKey: PlatformSecret.named('backup-s3', 'secret'),
});

function render(props: CacheClusterProps = {}, chart: Chart = kubernetesChart()) {
  const cache = new CacheCluster(chart, 'Sessions', props);
  return { cache, manifests: manifestsOf(chart) };
}
const podOf = (manifests: any[]) => findObject(manifests, 'CronJob', 'sessions-backup').spec.jobTemplate.spec.template.spec;
const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const restoreJob = (manifests: any[]) => objectsOfKind(manifests, 'Job').find((j: any) => j.metadata.name.startsWith('sessions-restore-'));

describe('CacheCluster backups on Kubernetes', () => {
  test('on by default: a daily snapshot CronJob writing to a volume that kubectl delete -f keeps', () => {
    const { manifests, cache } = render();
    const cronJob = findObject(manifests, 'CronJob', 'sessions-backup');
    expect(cronJob.spec).toEqual(expect.objectContaining({ schedule: '0 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' }));
    expect(cronJob.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(FINISHED_JOB_TTL_SECONDS);
    const pod = podOf(manifests);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['backup']);
    expect(pod.containers[0].command).toEqual(['sh', `/etc/cache-backup/${BACKUP_FILES.snapshot}`]);
    expect(envOf(pod.containers[0])).toEqual(expect.objectContaining({
      BACKUP_DIR: '/backups',
      REDISCLI_AUTH: { secretKeyRef: { name: 'sessions-auth', key: 'password' } },
      REDIS_NODES: expect.stringMatching(/^sessions-0\.sessions-nodes\.shop\.svc\.cluster\.local:6379 sessions-1\..* sessions-2\./),
    }));
    // The claim comes from a StatefulSet's template, retained when the StatefulSet is deleted.
    const store = findObject(manifests, 'StatefulSet', 'sessions-backups');
    expect(store.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(store.spec.volumeClaimTemplates[0].metadata.name).toBe('backups');
    expect(store.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10240Mi');
    expect(objectsOfKind(manifests, 'PersistentVolumeClaim')).toEqual([]);
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'backups-sessions-backups-0' } });
    // A ReadWriteOnce claim: the backup pod runs on the store's node.
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels)
      .toEqual(store.spec.selector.matchLabels);
    expect(cache.kubernetes!.backupCronJob).toBeDefined();
    expect(cache.kubernetes!.backupStore).toBeDefined();
    // The scripts live apart from the nodes' config: a new retention does not restart Redis.
    expect(Object.keys(findObject(manifests, 'ConfigMap', 'sessions-config').data)).not.toContain(BACKUP_FILES.snapshot);
    expectKubernetesConformance(manifests);
  });

  test('its NetworkPolicy: egress to the Redis nodes alone, nothing in; the nodes admit it; the store talks to nobody', () => {
    const { manifests, cache } = render();
    const policy = findObject(manifests, 'NetworkPolicy', 'sessions-backup').spec;
    expect(policy.policyTypes).toEqual(['Egress']);
    expect(policy.egress).toEqual([{
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'sessions', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(cache) } } }],
      ports: [{ protocol: 'TCP', port: 6379 }],
    }]);
    expect(findObject(manifests, 'NetworkPolicy', 'sessions').spec.ingress).toContainEqual({ from: [{ podSelector: policy.podSelector }], ports: [{ protocol: 'TCP', port: 6379 }] });
    expect(findObject(manifests, 'NetworkPolicy', 'sessions-backups').spec).toEqual(expect.objectContaining({ policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] }));
  });

  test('the exporters report the snapshot record, which the alert reads', () => {
    const { manifests } = render();
    const exporter = findObject(manifests, 'StatefulSet', 'sessions').spec.template.spec.containers.find((c: any) => c.name === 'exporter');
    expect(envOf(exporter).REDIS_EXPORTER_CHECK_SINGLE_KEYS).toBe(`db0=${BACKUP_RECORD_KEY}`);
    expect(findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data[BACKUP_FILES.snapshot]).toContain(`SET ${BACKUP_RECORD_KEY} "$(date -u +%Y%m%dT%H%M%SZ)" EX 93600`);
  });

  test('options: schedule, retention, count, size and class, maximum age', () => {
    const { manifests } = render({
      kubernetes: {
        backup: {
          schedule: '0 */6 * * *',
          retention: Duration.days(3),
          maxSnapshots: 8,
          maxAge: Duration.hours(7),
          target: BackupTarget.volume({ size: Size.gibibytes(50), storageClass: 'backup-hdd' }),
        },
      },
    });
    expect(findObject(manifests, 'CronJob', 'sessions-backup').spec.schedule).toBe('0 */6 * * *');
    const script = findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data[BACKUP_FILES.snapshot];
    expect(script).toContain('* 86400 ))" +%Y%m%dT%H%M%SZ)" -v max=8');
    expect(script).toContain('$(( $(date -u +%s) - 3 * 86400 ))');
    expect(script).toContain('EX 25200');
    const claim = findObject(manifests, 'StatefulSet', 'sessions-backups').spec.volumeClaimTemplates[0].spec;
    expect(claim).toEqual(expect.objectContaining({ storageClassName: 'backup-hdd', resources: { requests: { storage: '51200Mi' } } }));
  });

  test('S3: snapshot, upload, then record; egress to the public internet on 443 only; no volume', () => {
    const { manifests } = render({ kubernetes: { backup: { target: S3 } } });
    const pod = podOf(manifests);
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['snapshot', 'upload']);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['record']);
    expect(envOf(pod.initContainers[1])).toEqual(expect.objectContaining({
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: 'backup-s3', key: 'id' } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: 'backup-s3', key: 'secret' } },
      AWS_DEFAULT_REGION: 'us-east-1',
    }));
    expect(pod.volumes.find((v: any) => v.name === 'data').ephemeral.volumeClaimTemplate.spec.resources.requests.storage).toBe('10240Mi');
    const scripts = findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data;
    expect(scripts[BACKUP_FILES.upload]).toContain("bucket='acme-backups'\nprefix='redis/sessions/'");
    // The upload records nothing itself and the snapshot container prunes nothing: the bucket keeps the copies.
    expect(scripts[BACKUP_FILES.snapshot]).not.toContain('\nrecord\n');
    expect(scripts[BACKUP_FILES.snapshot]).not.toContain('deleted expired');
    expect(objectsOfKind(manifests, 'StatefulSet').map((s: any) => s.metadata.name)).toEqual(['sessions', 'sessions-sentinel']);
    expect(findObject(manifests, 'NetworkPolicy', 'sessions-backup').spec.egress[1])
      .toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...NON_PUBLIC_IPV4_RANGES] } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expectKubernetesConformance(manifests);
  });

  test('S3-compatible endpoint inside the network: egress to its range and port', () => {
    const minio = BackupTarget.s3({ ...S3.s3Options!, endpoint: 'http://minio.storage.svc:9000', egressCidr: '10.20.0.0/16' });
    const { manifests } = render({ kubernetes: { backup: { target: minio } } });
    expect(findObject(manifests, 'NetworkPolicy', 'sessions-backup').spec.egress[1])
      .toEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 9000 }] });
    expect(findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data[BACKUP_FILES.upload]).toContain("aws --endpoint-url 'http://minio.storage.svc:9000' \"$@\"");
  });

  test('cluster mode: one snapshot per shard, from its replica', () => {
    const { manifests } = render({ mode: CacheClusterMode.CLUSTER, shards: 4 });
    const script = findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data[BACKUP_FILES.snapshot];
    expect(script).toContain('CLUSTER NODES');
    expect(script).toContain('-v shards=4');
    expect(findObject(manifests, 'StatefulSet', 'sessions-backups').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('40960Mi');
    expectKubernetesConformance(manifests);
  });

  test('development profile: still on, one day kept; off for a throwaway cache and when disabled', () => {
    const app = new App();
    PlatformProfile.DEVELOPMENT.applyTo(app);
    const { manifests } = render({}, new Chart(app, 'dev', { namespace: 'dev' }));
    expect(findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data[BACKUP_FILES.snapshot]).toContain('- 1 * 86400');
    for (const props of [{ automaticFailover: false, persistence: false }, { kubernetes: { backup: { enabled: false } } }]) {
      const off = render(props);
      expect(objectsOfKind(off.manifests, 'CronJob')).toEqual([]);
      expect(off.manifests.filter((m: any) => m.metadata.name.startsWith('sessions-backup'))).toEqual([]);
      expect(JSON.stringify(off.manifests)).not.toContain('REDIS_EXPORTER_CHECK_SINGLE_KEYS');
      expect(off.cache.kubernetes!.backupCronJob).toBeUndefined();
    }
  });

  test('RemovalPolicy.DESTROY deletes the snapshot volume with the manifests', () => {
    const { manifests } = render({ removalPolicy: RemovalPolicy.DESTROY });
    expect(findObject(manifests, 'StatefulSet', 'sessions-backups').spec.persistentVolumeClaimRetentionPolicy.whenDeleted).toBe('Delete');
  });
});

describe('CacheCluster restores on Kubernetes', () => {
  test('from S3: download, then copy into the running cache; the Job is named after what it runs', () => {
    const { manifests, cache } = render({ restoreFrom: CacheRestoreSource.fromBackup(S3, ['20260101T030000Z.rdb']) });
    const job = restoreJob(manifests);
    expect(job.metadata.name).toMatch(/^sessions-restore-[0-9a-f]{8}$/);
    expect(job.spec.ttlSecondsAfterFinished).toBe(FINISHED_JOB_TTL_SECONDS);
    const pod = job.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['download']);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['restore']);
    // The private restore server holds a node's worth of data.
    expect(pod.containers[0].resources.limits.memory).toBe('1088Mi');
    const scripts = findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data;
    expect(scripts[BACKUP_FILES.download]).toContain("s3 s3 cp 's3://acme-backups/redis/sessions/'\"$file\"");
    expect(scripts[BACKUP_FILES.restore]).toContain("for file in '20260101T030000Z.rdb'; do");
    expect(cache.kubernetes!.restoreJob).toBeDefined();
    // Egress to the bucket for the download.
    expect(findObject(manifests, 'NetworkPolicy', 'sessions-backup').spec.egress).toHaveLength(2);
    expectKubernetesConformance(manifests);
    // A new backup setting does not re-run the restore.
    const other = render({ restoreFrom: CacheRestoreSource.fromBackup(S3, ['20260101T030000Z.rdb']), kubernetes: { backup: { retention: Duration.days(9) } } });
    expect(restoreJob(other.manifests).metadata.name).toBe(job.metadata.name);
  });

  test('from the cache\'s own snapshot volume (kept from before a kubectl delete -f): read-only, next to the store', () => {
    const { manifests } = render({ restoreFrom: CacheRestoreSource.fromBackup(BackupTarget.volume(), ['20260101T030000Z.rdb']) });
    const pod = restoreJob(manifests).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'backups-sessions-backups-0', readOnly: true } });
    expect(pod.affinity.podAffinity).toBeDefined();
    expectKubernetesConformance(manifests);
  });

  test('cluster mode takes one file per shard', () => {
    const files = ['20260101T030000Z-slots-0-5460.rdb', '20260101T030000Z-slots-5461-10922.rdb', '20260101T030000Z-slots-10923-16383.rdb'];
    const { manifests } = render({ mode: CacheClusterMode.CLUSTER, restoreFrom: CacheRestoreSource.fromBackup(S3, files) });
    expect(findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data[BACKUP_FILES.restore]).toContain('--cluster import');
  });
});

describe('backups and restores with Redis TLS on Kubernetes', () => {
  const redisContainers = (pod: any) => [...pod.initContainers ?? [], ...pod.containers].filter((c: any) => c.image.startsWith('redis:'));
  const tlsVolume = (pod: any) => pod.volumes.find((v: any) => v.name === 'tls');

  test('on (the default): the pods trust the cache\'s CA and every redis-cli call to the cache uses it', () => {
    const { manifests } = render({ kubernetes: { backup: { target: S3 } }, restoreFrom: CacheRestoreSource.fromBackup(S3, ['20260101T030000Z.rdb']) });
    const backup = podOf(manifests);
    // The backup pod only needs the CA, never the private key.
    expect(tlsVolume(backup).secret).toEqual(expect.objectContaining({ secretName: 'sessions-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }] }));
    const restore = restoreJob(manifests).spec.template.spec;
    // The restore's private server opens TLS connections (MIGRATE), for which redis-server wants a certificate.
    expect(tlsVolume(restore).secret.items.map((i: any) => i.key)).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    const containers = [...redisContainers(backup), ...redisContainers(restore)];
    expect(containers.map((c: any) => c.name)).toEqual(['snapshot', 'record', 'restore']);
    for (const c of containers) {
      expect({ name: c.name, ca: envOf(c).TLS_CA_FILE }).toEqual({ name: c.name, ca: '/etc/cache-tls/ca.crt' });
      expect(c.volumeMounts).toContainEqual({ name: 'tls', mountPath: '/etc/cache-tls', readOnly: true });
    }
    const scripts = findObject(manifests, 'ConfigMap', 'sessions-backup-scripts').data;
    for (const file of [BACKUP_FILES.snapshot, BACKUP_FILES.record, BACKUP_FILES.restore]) {
      expect(scripts[file]).toContain('redis-cli --no-auth-warning ${TLS_CA_FILE:+--tls --cacert "$TLS_CA_FILE"} "$@"');
    }
    expect(scripts[BACKUP_FILES.restore]).toContain("echo 'tls-cluster yes'");
    expectKubernetesConformance(manifests);
  });

  test('off: no TLS volume, no CA in the environment', () => {
    const { manifests } = render({ kubernetes: { tls: false }, restoreFrom: CacheRestoreSource.fromBackup(BackupTarget.volume(), ['20260101T030000Z.rdb']) });
    for (const pod of [podOf(manifests), restoreJob(manifests).spec.template.spec]) {
      expect(tlsVolume(pod)).toBeUndefined();
      expect(pod.containers.every((c: any) => envOf(c).TLS_CA_FILE === undefined)).toBe(true);
    }
  });
});

describe('secrets of the backup and restore pods', () => {
  test('every secret a container receives goes through the scripts\' secret rule, in both modes and for both targets', () => {
    const chart = kubernetesChart();
    new CacheCluster(chart, 'Sessions', { kubernetes: { backup: { target: S3 } }, restoreFrom: CacheRestoreSource.fromBackup(S3, ['a.rdb']) });
    new CacheCluster(chart, 'Catalog', { mode: CacheClusterMode.CLUSTER, restoreFrom: CacheRestoreSource.fromBackup(BackupTarget.volume(), ['a.rdb', 'b.rdb']) });
    const manifests = manifestsOf(chart);
    const files: Record<string, string>[] = objectsOfKind(manifests, 'ConfigMap').filter((c: any) => c.metadata.name.endsWith('-backup-scripts')).map((c: any) => c.data);
    const pods = [
      ...objectsOfKind(manifests, 'Job').filter((j: any) => j.metadata.name.includes('-restore-')).map((j: any) => j.spec.template.spec),
      ...objectsOfKind(manifests, 'CronJob').map((c: any) => c.spec.jobTemplate.spec.template.spec),
    ];
    expect(pods).toHaveLength(4);
    const checked: string[] = [];
    for (const container of pods.flatMap((p: any) => [...p.initContainers ?? [], ...p.containers])) {
      const name = container.command[1].split('/').pop();
      const script = files.find(f => f[name])![name];
      for (const e of container.env.filter((v: any) => v.valueFrom?.secretKeyRef)) {
        expect({ container: container.name, secret: e.name, checked: new RegExp(`^require_secret .*\\b${e.name}\\b`, 'm').test(script) })
          .toEqual({ container: container.name, secret: e.name, checked: true });
        checked.push(`${container.name}:${e.name}`);
      }
    }
    expect(checked.sort()).toEqual([
      'backup:REDISCLI_AUTH', 'download:AWS_ACCESS_KEY_ID', 'download:AWS_SECRET_ACCESS_KEY', 'record:REDISCLI_AUTH', 'restore:REDISCLI_AUTH', 'restore:REDISCLI_AUTH',
      'snapshot:REDISCLI_AUTH', 'upload:AWS_ACCESS_KEY_ID', 'upload:AWS_SECRET_ACCESS_KEY',
    ]);
  });
});

describe('CacheCluster seeded on AWS', () => {
  test('from RDB files in S3: SnapshotArns under the prefix', () => {
    const stack = awsStack();
    new CacheCluster(stack, 'Sessions', { restoreFrom: CacheRestoreSource.fromBackup(S3, ['20260101T030000Z.rdb']) });
    Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      SnapshotArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-backups/redis/sessions/20260101T030000Z.rdb']] }],
    });
    expectAwsConformance([stack]);
  });

  test('from an ElastiCache snapshot: SnapshotName; automatic snapshots stay on', () => {
    const stack = awsStack();
    new CacheCluster(stack, 'Sessions', { mode: CacheClusterMode.CLUSTER, restoreFrom: CacheRestoreSource.fromElastiCacheSnapshot('sessions-before-migration') });
    Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      SnapshotName: 'sessions-before-migration', SnapshotRetentionLimit: 7, SnapshotWindow: '03:00-05:00',
    });
    expectAwsConformance([stack]);
  });
});

describe('backup and restore validation', () => {
  const k8s = (props: CacheClusterProps) => () => render(props);
  const aws = (props: CacheClusterProps) => () => new CacheCluster(awsStack(), 'Sessions', props);
  test.each([
    ['schedule', k8s({ kubernetes: { backup: { schedule: '0 3 * *' } } }),
      /Sessions: kubernetes.backup.schedule is not a five-field cron expression \(got "0 3 \* \*"\): use "minute hour day-of-month month day-of-week"/],
    ['retention', k8s({ kubernetes: { backup: { retention: Duration.hours(36) } } }),
      /Sessions: kubernetes.backup.retention is out of range \(got "1.5 days"\): keep snapshots whole days, from 1 to 3650/],
    ['maxSnapshots', k8s({ kubernetes: { backup: { maxSnapshots: 0.5 } } }), /Sessions: kubernetes.backup.maxSnapshots is out of range \(got 0.5\): use an integer from 1 to 10000/],
    ['maxAge', k8s({ kubernetes: { backup: { maxAge: Duration.minutes(30) } } }),
      /Sessions: kubernetes.backup.maxAge is too short \(got "1800 seconds"\): use whole seconds, at least Duration.hours\(1\)/],
    ['volume size', k8s({ kubernetes: { backup: { target: BackupTarget.volume({ size: Size.mebibytes(512) }) } } }),
      /Sessions: kubernetes.backup.target.size is not a valid volume size \(got "0.5 GiB"\): use whole gibibytes, at least 1/],
    ['storage class', k8s({ kubernetes: { backup: { target: BackupTarget.volume({ storageClass: 'Fast SSD' }) } } }),
      /Sessions: kubernetes.backup.target.storageClass is not a StorageClass name \(got "Fast SSD"\)/],
    ['bucket', k8s({ kubernetes: { backup: { target: BackupTarget.s3({ ...S3.s3Options!, bucket: 'Acme_Backups' }) } } }),
      /Sessions: kubernetes.backup.target.bucket is not a bucket name \(got "Acme_Backups"\): use 3-63 lowercase letters/],
    ['endpoint', k8s({ kubernetes: { backup: { target: BackupTarget.s3({ ...S3.s3Options!, endpoint: 'minio:9000' }) } } }),
      /Sessions: kubernetes.backup.target.endpoint is not an endpoint URL \(got "minio:9000"\): use scheme:\/\/host\[:port\]/],
    ['prefix', k8s({ kubernetes: { backup: { target: BackupTarget.s3({ ...S3.s3Options!, prefix: 'redis' }) } } }),
      /Sessions: kubernetes.backup.target.prefix is not a key prefix \(got "redis"\): use path segments each ending with "\/"/],
    ['region', k8s({ kubernetes: { backup: { target: BackupTarget.s3({ ...S3.s3Options!, region: 'Frankfurt' }) } } }),
      /Sessions: kubernetes.backup.target.region is not an AWS region \(got "Frankfurt"\): use a region name/],
    ['egress range', k8s({ kubernetes: { backup: { target: BackupTarget.s3({ ...S3.s3Options!, egressCidr: '10.0.0.0' }) } } }),
      /Sessions: kubernetes.backup.target.egressCidr is not a CIDR block \(got "10.0.0.0"\)/],
    ['scratch size', k8s({ kubernetes: { backup: { target: BackupTarget.s3({ ...S3.s3Options!, scratchSize: Size.mebibytes(100) }) } } }),
      /kubernetes.backup.target.scratchSize is not a valid volume size/],
    ['ElastiCache snapshot on Kubernetes', k8s({ restoreFrom: CacheRestoreSource.fromElastiCacheSnapshot('nightly') }),
      /Sessions: restoreFrom is an ElastiCache snapshot, which kubernetes cannot read \(got "nightly"\): export it to S3/],
    ['no file', k8s({ restoreFrom: CacheRestoreSource.fromBackup(S3, []) }), /Sessions: restoreFrom names no file \(got "\[\]"\): name the RDB files of one backup run/],
    ['two files in replication mode', k8s({ restoreFrom: CacheRestoreSource.fromBackup(S3, ['a.rdb', 'b.rdb']) }),
      /Sessions: restoreFrom names more than one file in replication mode \(got "a.rdb, b.rdb"\): restore one snapshot/],
    ['a path, not a file name', k8s({ restoreFrom: CacheRestoreSource.fromBackup(S3, ['../other/x.rdb']) }),
      /Sessions: restoreFrom names a file that is not an RDB snapshot name \(got "..\/other\/x.rdb"\): use a file name relative to the target/],
    ['a file twice', k8s({ mode: CacheClusterMode.CLUSTER, restoreFrom: CacheRestoreSource.fromBackup(S3, ['a.rdb', 'a.rdb']) }),
      /Sessions: restoreFrom names a file twice \(got "a.rdb, a.rdb"\): name each file once/],
    ['a bad restore bucket', k8s({ restoreFrom: CacheRestoreSource.fromBackup(BackupTarget.s3({ ...S3.s3Options!, bucket: 'x' }), ['a.rdb']) }),
      /Sessions: restoreFrom.target.bucket is not a bucket name \(got "x"\)/],
    ['a volume on AWS', aws({ restoreFrom: CacheRestoreSource.fromBackup(BackupTarget.volume(), ['a.rdb']) }),
      /Sessions: restoreFrom is a volume backup, which aws cannot read \(got "BackupTarget.volume\(\)"\): copy the RDB files to an S3 bucket/],
    ['an S3-compatible endpoint on AWS', aws({ restoreFrom: CacheRestoreSource.fromBackup(BackupTarget.s3({ ...S3.s3Options!, endpoint: 'https://minio:9000' }), ['a.rdb']) }),
      /Sessions: restoreFrom.target.endpoint is not Amazon S3, where ElastiCache reads seeds on aws \(got "https:\/\/minio:9000"\)/],
    ['a snapshot name on AWS', aws({ restoreFrom: CacheRestoreSource.fromElastiCacheSnapshot('nightly--1') }),
      /Sessions: restoreFrom is not an ElastiCache snapshot name \(got "nightly--1"\): use a letter, then letters, digits and single hyphens/],
    ['no file on AWS', aws({ restoreFrom: CacheRestoreSource.fromBackup(S3, []) }), /Sessions: restoreFrom names no file/],
  ])('%s', (_name, create, message) => {
    expect(create).toThrow(message);
  });

  test('several files seed a cluster-mode cache on AWS (ElastiCache spreads the keys over the shards)', () => {
    expect(aws({ mode: CacheClusterMode.CLUSTER, restoreFrom: CacheRestoreSource.fromBackup(S3, ['a.rdb', 'b.rdb']) })).not.toThrow();
    expect(aws({ restoreFrom: CacheRestoreSource.fromBackup(S3, ['a.rdb', 'b.rdb']) })).toThrow(/restoreFrom names more than one file in replication mode/);
  });
});
