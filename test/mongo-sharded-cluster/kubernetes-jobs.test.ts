import { Size } from 'aws-cdk-lib';
import { MongoRestore, MongoShardedCluster, MongoShardedClusterProps } from '../../src/mongo-sharded-cluster';
import { agentScript } from '../../src/mongo-sharded-cluster/mongo-backup';
import { BackupTarget } from '../../src/platform/backup-target';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

function render(props: MongoShardedClusterProps = {}) {
  const chart = kubernetesChart();
  const cluster = new MongoShardedCluster(chart, 'OrdersDb', props);
  return { chart, cluster, manifests: manifestsOf(chart) };
}

const container = (spec: any, name: string) => spec.containers.find((c: any) => c.name === name);
const initContainer = (spec: any, name: string) => spec.initContainers.find((c: any) => c.name === name);

describe('MongoShardedCluster on Kubernetes: credentials, init Job, backups and restores', () => {
  test('no Secret is rendered: every credential is a reference by name', () => {
    const { manifests } = render({ adminPassword: PlatformSecret.named('vault-mongo', 'root') });
    expect(objectsOfKind(manifests, 'Secret')).toEqual([]);
    const init = initContainer(objectsOfKind(manifests, 'Job')[0].spec.template.spec, 'init');
    expect(init.env).toContainEqual({ name: 'MONGO_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'vault-mongo', key: 'root' } } });
    expect(init.env).toContainEqual({ name: 'MONGO_BACKUP_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db-pbm', key: 'password' } } });
  });

  test('init Job: the bootstrap, then the backup configuration; a new topology gets a new Job name', () => {
    const small = render({ shards: 2 }).manifests;
    const [job] = objectsOfKind(small, 'Job');
    expect(job.metadata.name).toMatch(/^orders-db-init-[0-9a-f]{8}$/);
    expect(job.spec).toMatchObject({ backoffLimit: 6, activeDeadlineSeconds: 3600 });
    const spec = job.spec.template.spec;
    expect(initContainer(spec, 'init').command).toEqual(['/bin/sh', '/scripts/init.sh']);
    expect(container(spec, 'backup-config')).toMatchObject({ image: 'percona/percona-backup-mongodb:2.11.0', command: ['/bin/sh', '/scripts/pbm-configure.sh'] });
    expect(Object.keys(findObject(small, 'ConfigMap', 'orders-db-scripts').data).sort()).toEqual([
      'backup-record.js', 'backup-record.sh', 'backup.sh', 'cluster.js', 'init.sh', 'pbm-config.yaml', 'pbm-configure.sh', 'replica-set-configure.js', 'replica-set-initiate.js',
    ]);
    expect(objectsOfKind(render({ shards: 2 }).manifests, 'Job')[0].metadata.name).toBe(job.metadata.name);
    expect(objectsOfKind(render({ shards: 3 }).manifests, 'Job')[0].metadata.name).not.toBe(job.metadata.name);
  });

  test('a workload connected after the cluster renames the init Job (its template changed); its password is a mounted file', () => {
    const chart = kubernetesChart();
    const cluster = new MongoShardedCluster(chart, 'OrdersDb');
    const before = objectsOfKind(manifestsOf(chart), 'Job')[0].metadata.name;
    cluster.connect(new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' }), { database: 'shop' });
    const [job] = objectsOfKind(manifestsOf(chart), 'Job');
    expect(job.metadata.name).toMatch(/^orders-db-init-[0-9a-f]{8}$/);
    expect(job.metadata.name).not.toBe(before);
    const spec = job.spec.template.spec;
    expect(spec.volumes).toContainEqual({
      name: 'service-passwords', projected: { sources: [{ secret: { name: 'orders-db-user-orders', items: [{ key: 'password', path: 'orders' }] } }], defaultMode: 0o400 },
    });
    const init = initContainer(spec, 'init');
    expect(init.volumeMounts).toContainEqual({ name: 'service-passwords', mountPath: '/etc/mongodb/service-users', readOnly: true });
    expect(JSON.stringify(init.env)).not.toContain('orders-db-user-orders');
  });

  test('backup CronJob: pbm backup and the retention, then the record the alert reads; daily in UTC, one at a time', () => {
    const { manifests } = render({ backup: { schedule: '15 1 * * *' } });
    const cron = findObject(manifests, 'CronJob', 'orders-db-backup');
    expect(cron.spec).toMatchObject({ schedule: '15 1 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(1);
    const spec = cron.spec.jobTemplate.spec.template.spec;
    expect(spec.initContainers.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ['backup', 'percona/percona-backup-mongodb:2.11.0', ['/bin/sh', '/scripts/backup.sh']],
    ]);
    expect(spec.containers.map((c: any) => [c.name, c.command])).toEqual([['record', ['/bin/sh', '/scripts/backup-record.sh']]]);
    // No volume: the agents beside the members write the backup, the Job only starts and prunes it.
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'scripts', 'tls-ca']);
  });

  test('volume target: every agent mounts the existing claim at one path; the manifests hold no claim', () => {
    const { manifests, cluster } = render({ kubernetes: { backupTarget: BackupTarget.volume({ claimName: 'mongo-nfs' }) } });
    for (const name of ['orders-db-configsvr', 'orders-db-shard-0', 'orders-db-shard-2']) {
      const spec = findObject(manifests, 'StatefulSet', name).spec.template.spec;
      expect(spec.volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'mongo-nfs' } });
      expect(container(spec, 'backup-agent').volumeMounts).toContainEqual({ name: 'backups', mountPath: '/backups' });
      expect(container(spec, 'mongod').volumeMounts).not.toContainEqual(expect.objectContaining({ name: 'backups' }));
    }
    expect(objectsOfKind(manifests, 'PersistentVolumeClaim')).toEqual([]);
    expect(cluster.kubernetes!.backupClaimName).toBe('mongo-nfs');
    expect(render().cluster.kubernetes!.backupClaimName).toBe('orders-db-backups');
  });

  test('the agent runs its script as written: Kubernetes turns each doubled $ back into one and expands nothing', () => {
    const agent = container(findObject(render().manifests, 'StatefulSet', 'orders-db-shard-0').spec.template.spec, 'backup-agent');
    const expanded = agent.command[2].replace(/\$\$/g, '$');
    expect(expanded).toBe(agentScript(true));
    // Every $ is doubled, so no $(NAME) reference is left for Kubernetes to expand.
    expect(agent.command[2].replace(/\$\$/g, '')).not.toContain('$');
  });

  test('S3 target: agents read the keys from Secrets and may reach the endpoint; the Jobs may not', () => {
    const { manifests } = render({
      kubernetes: {
        backupTarget: BackupTarget.s3({
          bucket: 'acme-backups',
          endpoint: 'https://minio.storage.svc:9000',
          egressCidr: '10.0.0.0/8',
          accessKeyId: PlatformSecret.named('backup-s3', 'id'),
          secretAccessKey: PlatformSecret.named('backup-s3', 'secret'),
        }),
      },
    });
    const agent = container(findObject(manifests, 'StatefulSet', 'orders-db-shard-1').spec.template.spec, 'backup-agent');
    expect(agent.env).toEqual(expect.arrayContaining([
      { name: 'AWS_REGION', value: 'us-east-1' },
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'backup-s3', key: 'id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'backup-s3', key: 'secret' } } },
    ]));
    expect(findObject(manifests, 'StatefulSet', 'orders-db-shard-1').spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('backups');
    expect(findObject(manifests, 'NetworkPolicy', 'orders-db-members').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 9000 }] });
    expect(JSON.stringify(findObject(manifests, 'NetworkPolicy', 'orders-db-jobs').spec.egress)).not.toContain('ipBlock');
    expect(JSON.parse(findObject(manifests, 'ConfigMap', 'orders-db-scripts').data['pbm-config.yaml']).storage).toEqual({
      type: 's3', s3: { region: 'us-east-1', bucket: 'acme-backups', prefix: 'orders-db', endpointUrl: 'https://minio.storage.svc:9000' },
    });
  });

  test('backup to Amazon S3: agents may reach the public internet on 443, never private or link-local addresses', () => {
    const { manifests } = render({
      kubernetes: {
        backupTarget: BackupTarget.s3({
          bucket: 'acme-backups', accessKeyId: PlatformSecret.named('backup-s3', 'id'), secretAccessKey: PlatformSecret.named('backup-s3', 'secret'),
        }),
      },
    });
    const egress = findObject(manifests, 'NetworkPolicy', 'orders-db-members').spec.egress;
    expect(egress.filter((r: any) => r.to.some((p: any) => p.ipBlock))).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    }]);
  });

  test('restore: a Job running pbm restore once, named by what it restores, never deleted after it finishes', () => {
    expect(objectsOfKind(render().manifests, 'Job').map((j: any) => j.metadata.name)).toEqual([expect.stringMatching(/^orders-db-init-/)]);
    const { manifests, cluster } = render({ kubernetes: { restore: MongoRestore.toPointInTime('2026-12-01T14:30:00') } });
    const job = objectsOfKind(manifests, 'Job').find((j: any) => j.metadata.name.startsWith('orders-db-restore-'));
    expect(job.spec).toMatchObject({ backoffLimit: 0 });
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(container(job.spec.template.spec, 'restore')).toMatchObject({ image: 'percona/percona-backup-mongodb:2.11.0', command: ['/bin/sh', '/scripts/restore.sh'] });
    expect(findObject(manifests, 'ConfigMap', 'orders-db-scripts').data['restore.sh']).toContain("pbm restore '--time=2026-12-01T14:30:00' --yes --wait");
    expect(cluster.kubernetes!.restoreJob).toBeDefined();
    const other = objectsOfKind(render({ kubernetes: { restore: MongoRestore.fromBackup('2026-12-01T03:00:21Z') } }).manifests, 'Job')
      .find((j: any) => j.metadata.name.startsWith('orders-db-restore-'));
    expect(other.metadata.name).not.toBe(job.metadata.name);
    // The Jobs' policy admits the restore Job's pods.
    expect(findObject(manifests, 'NetworkPolicy', 'orders-db-jobs').spec.podSelector.matchExpressions[0].values).toContain('orders-db-restore');
    expect(job.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('orders-db-restore');
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
