import { Size } from 'aws-cdk-lib';
import { MongoShardedCluster, MongoShardedClusterProps } from '../../src/mongo-sharded-cluster';
import { BackupTarget } from '../../src/platform/backup-target';
import { PlatformSecret } from '../../src/platform/secret';
import { findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

function render(props: MongoShardedClusterProps = {}) {
  const chart = kubernetesChart();
  const cluster = new MongoShardedCluster(chart, 'OrdersDb', props);
  return { chart, cluster, manifests: manifestsOf(chart) };
}

const container = (spec: any, name: string) => spec.containers.find((c: any) => c.name === name);

describe('MongoShardedCluster on Kubernetes: credentials, init Job and backups', () => {
  test('no Secret is rendered: every credential is a reference by name', () => {
    const { manifests } = render({ adminPassword: PlatformSecret.named('vault-mongo', 'root') });
    expect(objectsOfKind(manifests, 'Secret')).toEqual([]);
    const init = container(objectsOfKind(manifests, 'Job')[0].spec.template.spec, 'init');
    expect(init.env).toContainEqual({ name: 'MONGO_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'vault-mongo', key: 'root' } } });
  });

  test('init Job: runs the driver from the scripts ConfigMap; a new topology gets a new Job name', () => {
    const small = render({ shards: 2 }).manifests;
    const [job] = objectsOfKind(small, 'Job');
    expect(job.metadata.name).toMatch(/^orders-db-init-[0-9a-f]{8}$/);
    expect(job.spec).toMatchObject({ backoffLimit: 6, activeDeadlineSeconds: 3600 });
    expect(container(job.spec.template.spec, 'init').command).toEqual(['/bin/sh', '/scripts/init.sh']);
    expect(Object.keys(findObject(small, 'ConfigMap', 'orders-db-scripts').data).sort()).toEqual([
      'backup-lock.js', 'backup-record.js', 'backup-unlock.js', 'backup.sh', 'cluster.js', 'init.sh', 'replica-set-configure.js', 'replica-set-initiate.js',
    ]);
    expect(objectsOfKind(render({ shards: 2 }).manifests, 'Job')[0].metadata.name).toBe(job.metadata.name);
    expect(objectsOfKind(render({ shards: 3 }).manifests, 'Job')[0].metadata.name).not.toBe(job.metadata.name);
  });

  test('backup CronJob to a retained claim by default: daily in UTC, one at a time, no retry', () => {
    const { manifests } = render({ backup: { schedule: '15 1 * * *' } });
    const cron = findObject(manifests, 'CronJob', 'orders-db-backup');
    expect(cron.spec).toMatchObject({ schedule: '15 1 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(0);
    const spec = cron.spec.jobTemplate.spec.template.spec;
    expect(spec.containers.map((c: any) => c.name)).toEqual(['backup']);
    expect(spec.volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'orders-db-backups' } });
    expect(findObject(manifests, 'PersistentVolumeClaim', 'orders-db-backups').spec.resources.requests.storage).toBe('60Gi');
  });

  test('backup to S3: dump into scratch space, then upload with credentials from Secrets and egress to the endpoint', () => {
    const { manifests } = render({
      kubernetes: {
        backupTarget: BackupTarget.s3({
          bucket: 'acme-backups',
          endpoint: 'https://minio.storage.svc:9000',
          egressCidr: '10.0.0.0/8',
          scratchSize: Size.gibibytes(50),
          accessKeyId: PlatformSecret.named('backup-s3', 'id'),
          secretAccessKey: PlatformSecret.named('backup-s3', 'secret'),
        }),
      },
    });
    const spec = findObject(manifests, 'CronJob', 'orders-db-backup').spec.jobTemplate.spec.template.spec;
    // Dump, upload, and only then record the success the backup alert reads.
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['dump', 'upload']);
    expect(spec.containers.map((c: any) => c.command)).toEqual([['/bin/sh', '/scripts/backup-record.sh']]);
    expect(findObject(manifests, 'ConfigMap', 'orders-db-scripts').data['backup.sh']).not.toContain('backup-record.js');
    const upload = spec.initContainers.find((c: any) => c.name === 'upload');
    expect(upload.image).toBe('amazon/aws-cli:2.17.0');
    expect(upload.env).toContainEqual({ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'backup-s3', key: 'secret' } } });
    expect(spec.volumes).toContainEqual(expect.objectContaining({ name: 'backups', ephemeral: expect.anything() }));
    expect(objectsOfKind(manifests, 'PersistentVolumeClaim')).toEqual([]);
    expect(findObject(manifests, 'NetworkPolicy', 'orders-db-jobs').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 9000 }] });
    expect(findObject(manifests, 'ConfigMap', 'orders-db-scripts').data['backup-upload.sh']).toContain("--endpoint-url 'https://minio.storage.svc:9000'");
  });

  test('backup to Amazon S3: egress to the public internet on 443, never to private or link-local addresses', () => {
    const { manifests } = render({
      kubernetes: {
        backupTarget: BackupTarget.s3({
          bucket: 'acme-backups', accessKeyId: PlatformSecret.named('backup-s3', 'id'), secretAccessKey: PlatformSecret.named('backup-s3', 'secret'),
        }),
      },
    });
    const egress = findObject(manifests, 'NetworkPolicy', 'orders-db-jobs').spec.egress;
    expect(egress.filter((r: any) => r.to.some((p: any) => p.ipBlock))).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    }]);
  });

  test('growing storageSize: the templates keep their size (the API server refuses a change), each claim is declared at the new one', () => {
    const created = render({ shards: 2, storageSize: Size.gibibytes(20) }).manifests;
    const grown = render({ shards: 2, storageSize: Size.gibibytes(50), kubernetes: { volumeClaimTemplateSize: Size.gibibytes(20) } }).manifests;
    for (const name of ['orders-db-shard-0', 'orders-db-shard-1', 'orders-db-configsvr']) {
      expect(findObject(grown, 'StatefulSet', name).spec.volumeClaimTemplates).toEqual(findObject(created, 'StatefulSet', name).spec.volumeClaimTemplates);
    }
    const claims = objectsOfKind(grown, 'PersistentVolumeClaim').filter((c: any) => c.metadata.name.startsWith('data-'));
    expect(claims.map((c: any) => c.metadata.name).sort()).toEqual([
      ...[0, 1, 2].map(i => `data-orders-db-configsvr-${i}`), ...[0, 1].flatMap(s => [0, 1, 2].map(i => `data-orders-db-shard-${s}-${i}`)),
    ].sort());
    expect(claims.every((c: any) => c.spec.resources.requests.storage === '50Gi')).toBe(true);
    expect(objectsOfKind(created, 'PersistentVolumeClaim').filter((c: any) => c.metadata.name.startsWith('data-'))).toEqual([]);
  });
});
