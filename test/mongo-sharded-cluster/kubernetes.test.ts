import { Size } from 'aws-cdk-lib';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MongoClientCredentials, MongoShardedCluster, MongoShardedClusterProps, MongoShardKey } from '../../src/mongo-sharded-cluster';
import { BackupTarget } from '../../src/platform/backup-target';
import { KubernetesPlatform } from '../../src/platform/kubernetes-platform';
import { NetworkPeer } from '../../src/platform/network';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { expectKubeClasses, findObject, kubernetesChart, manifestsOf, objectsOfKind, ownerLabel } from '../util';

function render(props: MongoShardedClusterProps = {}) {
  const chart = kubernetesChart();
  const cluster = new MongoShardedCluster(chart, 'OrdersDb', props);
  return { chart, cluster, manifests: manifestsOf(chart) };
}

const pod = (manifests: any[], kind: string, name: string) => findObject(manifests, kind, name).spec.template.spec;
const container = (spec: any, name: string) => spec.containers.find((c: any) => c.name === name);

describe('MongoShardedCluster on Kubernetes', () => {
  test('escape hatches are typed k8s objects: a patch through a shard\'s typed StatefulSet reaches the manifest', () => {
    const chart = kubernetesChart();
    const cluster = new MongoShardedCluster(chart, 'OrdersDb', {});
    const resources = cluster.kubernetes!;
    expectKubeClasses(resources, {
      serviceAccount: k8s.KubeServiceAccount,
      scripts: k8s.KubeConfigMap,
      routers: k8s.KubeDeployment,
      routerService: k8s.KubeService,
      routerDisruptionBudget: k8s.KubePodDisruptionBudget,
      metricsService: k8s.KubeService,
      memberNetworkPolicy: k8s.KubeNetworkPolicy,
      routerNetworkPolicy: k8s.KubeNetworkPolicy,
      jobNetworkPolicy: k8s.KubeNetworkPolicy,
      initJob: k8s.KubeJob,
      backupCronJob: k8s.KubeCronJob,
    });
    for (const replicaSet of [resources.configServers, ...resources.shards]) {
      expectKubeClasses(replicaSet, {
        statefulSet: k8s.KubeStatefulSet, headlessService: k8s.KubeService, disruptionBudget: k8s.KubePodDisruptionBudget,
      });
    }
    const shard: k8s.KubeStatefulSet = resources.shards[0].statefulSet;
    shard.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 30));
    expect(findObject(manifestsOf(chart), 'StatefulSet', resources.shards[0].replicaSetName).spec.minReadySeconds).toBe(30);
  });

  test('matches the snapshot', () => {
    expect(render({ shardedCollections: ['shop.orders'], shardKeys: { 'shop.orders': MongoShardKey.hashed('customerId') } }).manifests).toMatchSnapshot();
  });

  test('topology: a config-server StatefulSet, one StatefulSet per shard, a mongos Deployment and Service', () => {
    const { manifests } = render();
    const config = findObject(manifests, 'StatefulSet', 'orders-db-configsvr');
    expect(config.spec).toMatchObject({ replicas: 3, serviceName: 'orders-db-configsvr', podManagementPolicy: 'Parallel' });
    expect(container(config.spec.template.spec, 'mongod').args.slice(0, 3)).toEqual(['--configsvr', '--replSet', 'orders-db-configsvr']);
    for (const i of [0, 1, 2]) {
      const shard = findObject(manifests, 'StatefulSet', `orders-db-shard-${i}`);
      expect(shard.spec.replicas).toBe(3);
      expect(container(shard.spec.template.spec, 'mongod').args.slice(0, 3)).toEqual(['--shardsvr', '--replSet', `orders-db-shard-${i}`]);
      expect(findObject(manifests, 'Service', `orders-db-shard-${i}`).spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    }
    expect(objectsOfKind(manifests, 'StatefulSet')).toHaveLength(4);
    const mongos = container(pod(manifests, 'Deployment', 'orders-db-mongos'), 'mongos');
    expect(mongos.args.slice(0, 2)).toEqual(['--configdb',
      'orders-db-configsvr/orders-db-configsvr-0.orders-db-configsvr.shop.svc.cluster.local:27017,' +
      'orders-db-configsvr-1.orders-db-configsvr.shop.svc.cluster.local:27017,orders-db-configsvr-2.orders-db-configsvr.shop.svc.cluster.local:27017']);
    expect(findObject(manifests, 'Deployment', 'orders-db-mongos').spec.replicas).toBe(2);
    expect(findObject(manifests, 'Service', 'orders-db').spec.ports).toEqual([{ name: 'mongodb', port: 27017, targetPort: 'mongodb', protocol: 'TCP' }]);
  });

  test('images are pinned: mongo from the version, the exporter by tag', () => {
    const spec = pod(render({ version: '7.0.14' }).manifests, 'StatefulSet', 'orders-db-shard-0');
    expect(spec.containers.map((c: any) => c.image)).toEqual(['mongo:7.0.14', 'percona/mongodb_exporter:0.43.1', 'percona/percona-backup-mongodb:2.11.0']);
    expect(spec.initContainers[0].image).toBe('mongo:7.0.14');
  });

  test('restricted pods: the image\'s uid 999, fsGroup 999, read-only root with /tmp, drop ALL, no token', () => {
    const spec = pod(render().manifests, 'StatefulSet', 'orders-db-shard-0');
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
    expect(container(spec, 'mongod').volumeMounts).toEqual(expect.arrayContaining([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/data/db' }]));
  });

  test('keyfile: the Secret is mounted 0400 and copied to memory as a 0400 file owned by mongod', () => {
    const spec = pod(render().manifests, 'StatefulSet', 'orders-db-shard-0');
    expect(spec.volumes).toEqual(expect.arrayContaining([
      { name: 'keyfile-secret', secret: { secretName: 'orders-db-keyfile', items: [{ key: 'keyfile', path: 'keyfile' }], defaultMode: 0o400 } },
      { name: 'keyfile', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    ]));
    expect(spec.initContainers[0].command[2]).toContain('install -m 0400 /etc/mongodb/keyfile-secret/keyfile /var/run/mongodb/keyfile/keyfile');
    const args = container(spec, 'mongod').args;
    expect(args[args.indexOf('--keyFile') + 1]).toBe('/var/run/mongodb/keyfile/keyfile');
  });

  test('the TLS private key reaches only the init container that builds mongod\'s PEM file', () => {
    const { manifests } = render({ kubernetes: { backupTarget: BackupTarget.s3({ bucket: 'backups', accessKeyId: PlatformSecret.named('s3', 'id'), secretAccessKey: PlatformSecret.named('s3', 'key') }) } });
    const seeing: string[] = [];
    for (const workload of manifests.filter(o => ['StatefulSet', 'Deployment', 'Job', 'CronJob'].includes(o.kind))) {
      const spec = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
      const keysOf = (volume: any) => volume?.secret?.secretName !== 'orders-db-tls' ? []
        : volume.secret.items ? volume.secret.items.map((i: any) => i.key) : ['tls.crt', 'tls.key', 'ca.crt'];
      for (const c of [...spec.initContainers ?? [], ...spec.containers]) {
        const keys = (c.volumeMounts ?? []).flatMap((m: any) => keysOf(spec.volumes.find((v: any) => v.name === m.name)));
        if (keys.includes('tls.key')) seeing.push(`${workload.metadata.name}/${c.name}`);
      }
    }
    expect(seeing.sort()).toEqual([
      'orders-db-configsvr/prepare-secrets', 'orders-db-mongos/prepare-secrets',
      'orders-db-shard-0/prepare-secrets', 'orders-db-shard-1/prepare-secrets', 'orders-db-shard-2/prepare-secrets',
    ]);
  });

  test('TLS by default: requireTLS with the Secret\'s certificate; off when asked', () => {
    const on = container(pod(render().manifests, 'StatefulSet', 'orders-db-configsvr'), 'mongod');
    expect(on.args).toEqual(expect.arrayContaining(['--tlsMode', 'requireTLS', '--tlsCAFile', '/etc/mongodb/tls/ca.crt', '--tlsAllowConnectionsWithoutCertificates']));
    expect(pod(render().manifests, 'StatefulSet', 'orders-db-configsvr').volumes).toEqual(expect.arrayContaining([
      { name: 'tls-secret', secret: { secretName: 'orders-db-tls', items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }], defaultMode: 0o400 } },
      { name: 'tls-ca', secret: { secretName: 'orders-db-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
    ]));
    const { manifests, cluster } = render({ tls: false, kubernetes: { tlsSecretName: 'ignored' } });
    const off = pod(manifests, 'StatefulSet', 'orders-db-configsvr');
    expect(container(off, 'mongod').args.join(' ')).not.toContain('tls');
    expect(off.volumes.map((v: any) => v.name)).toEqual(['tmp', 'keyfile-secret', 'keyfile', 'backups']);
    expect(cluster.connectionString('shop')).toBe('mongodb://orders-db.shop.svc.cluster.local:27017/shop?authSource=admin&w=majority');
  });

  test('the certificate names every member, the routers\' Service and localhost', () => {
    const names = render({ shards: 2 }).cluster.kubernetes!.tlsDnsNames;
    expect(names).toEqual(expect.arrayContaining([
      'orders-db-configsvr-2.orders-db-configsvr.shop.svc.cluster.local', 'orders-db-shard-1-0.orders-db-shard-1.shop.svc.cluster.local',
      'orders-db.shop.svc.cluster.local', 'localhost',
    ]));
    expect(names).toHaveLength(3 + 2 * 3 + 5);
  });

  test('probes: startup and liveness on the port, readiness pings through mongosh over loopback', () => {
    const mongod = container(pod(render().manifests, 'StatefulSet', 'orders-db-shard-0'), 'mongod');
    expect(mongod.startupProbe).toMatchObject({ tcpSocket: { port: 'mongodb' }, failureThreshold: 60 });
    expect(mongod.livenessProbe).toMatchObject({ tcpSocket: { port: 'mongodb' } });
    expect(mongod.readinessProbe.exec.command).toEqual(['mongosh', '--quiet', '--norc',
      'mongodb://localhost:27017/?directConnection=true&serverSelectionTimeoutMS=3000&tls=true&tlsCAFile=/etc/mongodb/tls/ca.crt', '--eval', 'db.adminCommand({ ping: 1 }).ok']);
  });

  test('resources and the WiredTiger cache follow memberResources', () => {
    const mongod = container(pod(render({ kubernetes: { memberResources: { cpu: 2, memory: Size.gibibytes(8) } } }).manifests, 'StatefulSet', 'orders-db-shard-0'), 'mongod');
    expect(mongod.resources).toEqual({ requests: { cpu: '2000m', memory: '8192Mi' }, limits: { memory: '8192Mi' } });
    expect(mongod.args[mongod.args.indexOf('--wiredTigerCacheSizeGB') + 1]).toBe('3.5');
  });

  test('storage: retained claims of storageSize in the chosen class', () => {
    const sts = findObject(render({ storageSize: Size.gibibytes(100), storageClass: 'gp3' }).manifests, 'StatefulSet', 'orders-db-shard-1');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '100Gi' } } });
  });

  test('availability: one member down at most per replica set, spread over zones and nodes', () => {
    const { manifests, cluster } = render();
    for (const name of ['orders-db-configsvr', 'orders-db-shard-0', 'orders-db-mongos']) {
      const pdb = findObject(manifests, 'PodDisruptionBudget', name);
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(cluster) } } });
    }
    expect(pod(manifests, 'StatefulSet', 'orders-db-shard-0').topologySpreadConstraints.map((c: any) => c.topologyKey))
      .toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  test('exporter next to every mongod and mongos, logging in as the metrics user; metricsSource finds them', () => {
    const { manifests, cluster } = render();
    for (const [kind, name] of [['StatefulSet', 'orders-db-shard-2'], ['StatefulSet', 'orders-db-configsvr'], ['Deployment', 'orders-db-mongos']]) {
      const exporter = container(pod(manifests, kind, name), 'exporter');
      expect(exporter.env).toEqual([
        { name: 'MONGODB_USER', value: 'metrics' },
        { name: 'MONGODB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db-admin', key: 'monitor-password' } } },
      ]);
      expect(exporter.args[0]).toBe('--mongodb.uri=mongodb://localhost:27017/admin?directConnection=true&tls=true&tlsCAFile=/etc/mongodb/tls/ca.crt');
    }
    expect(cluster.metricsSource).toEqual({
      job: 'orders-db',
      kind: 'mongo',
      port: 9216,
      path: '/metrics',
      host: 'orders-db-metrics.shop.svc.cluster.local',
      selector: { 'app.kubernetes.io/instance': 'orders-db', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(cluster) },
      namespace: 'shop',
    });
    expect(findObject(manifests, 'Service', 'orders-db-metrics').spec.selector).toEqual(cluster.metricsSource!.selector);
  });

  test('network: members talk to members, routers and Jobs reach members, clients reach only routers once allowed', () => {
    const chart = kubernetesChart();
    const cluster = new MongoShardedCluster(chart, 'OrdersDb');
    const orders = new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    cluster.allowFrom(orders);
    cluster.allowFrom(NetworkPeer.ipv4('10.9.0.0/16'));
    cluster.allowMetricsFrom(NetworkPeer.fromPodLabels({ app: 'prometheus' }, 'monitoring'));
    const manifests = manifestsOf(chart);
    const routers = findObject(manifests, 'NetworkPolicy', 'orders-db-routers').spec;
    expect(routers.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders-db-mongos', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(cluster) } });
    expect(routers.ingress.map((r: any) => r.ports[0].port)).toEqual([27017, 27017, 27017, 9216]);
    expect(routers.ingress[2].from).toEqual([{ ipBlock: { cidr: '10.9.0.0/16' } }]);
    const members = findObject(manifests, 'NetworkPolicy', 'orders-db-members').spec;
    expect(members.ingress[0].from.length).toBe(3);
    expect(members.ingress[1]).toEqual({ from: [{ podSelector: { matchLabels: { app: 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9216 }] });
    expect(JSON.stringify(members.ingress)).not.toContain('orders"');
    // The service's own policy now lets it out to the routers.
    expect(findObject(manifests, 'NetworkPolicy', 'orders').spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-db-mongos', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(cluster) } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
      ports: [{ protocol: 'TCP', port: 27017 }],
    });
    expect(findObject(manifests, 'NetworkPolicy', 'orders-db-jobs').spec.policyTypes).toEqual(['Egress']);
  });

  test('connect: a user of its own with readWrite on its database, its password from its own owned Secret, the CA mounted', () => {
    const chart = kubernetesChart();
    const cluster = new MongoShardedCluster(chart, 'OrdersDb');
    const orders = new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    cluster.connect(orders, { database: 'shop' });
    cluster.connect(orders, { database: 'shop' });
    const manifests = manifestsOf(chart);
    const spec = pod(manifests, 'Deployment', 'orders');
    expect(spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'MONGODB_URI', value: 'mongodb://orders-db.shop.svc.cluster.local:27017/shop?authSource=admin&w=majority&tls=true' },
      { name: 'MONGODB_DATABASE', value: 'shop' },
      { name: 'MONGODB_USERNAME', value: 'orders' },
      { name: 'MONGODB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db-user-orders', key: 'password' } } },
      { name: 'MONGODB_TLS_CA_FILE', value: '/etc/mongodb/orders-db/ca.crt' },
    ]));
    expect(JSON.stringify(spec)).not.toContain('orders-db-admin');
    expect(spec.volumes.filter((v: any) => v.name === 'orders-db-tls-ca-crt')).toEqual([
      { name: 'orders-db-tls-ca-crt', secret: { secretName: 'orders-db-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
    ]);
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'orders-db-tls-ca-crt', mountPath: '/etc/mongodb/orders-db', readOnly: true });
    expect(cluster.endpoint.url).toBe('mongodb://orders-db.shop.svc.cluster.local:27017');
    expect(KubernetesPlatform.of(chart).ownedCredentials).toContainEqual(expect.objectContaining({ secretName: 'orders-db-user-orders', key: 'password' }));
    expectKubernetesConformance(manifests);
  });

  test('connect: the administrator only when asked; connectService is connect with the defaults', () => {
    const chart = kubernetesChart();
    const cluster = new MongoShardedCluster(chart, 'OrdersDb');
    const admin = new ServiceCluster(chart, 'Ops', { image: 'ghcr.io/acme/ops:1.0.0' });
    const legacy = new ServiceCluster(chart, 'Legacy', { image: 'ghcr.io/acme/legacy:1.0.0' });
    cluster.connect(admin, { database: 'ops', credentials: MongoClientCredentials.administrator() });
    cluster.connectService(legacy, 'legacy');
    const manifests = manifestsOf(chart);
    expect(pod(manifests, 'Deployment', 'ops').containers[0].env).toEqual(expect.arrayContaining([
      { name: 'MONGODB_USERNAME', value: 'clusteradmin' },
      { name: 'MONGODB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db-admin', key: 'password' } } },
    ]));
    expect(pod(manifests, 'Deployment', 'legacy').containers[0].env).toContainEqual({ name: 'MONGODB_USERNAME', value: 'legacy' });
    // Only the per-service user reaches the init Job.
    const init = objectsOfKind(manifests, 'Job')[0].spec.template.spec.initContainers[0];
    expect(JSON.parse(init.env.find((e: any) => e.name === 'MONGO_SERVICE_USERS').value)).toEqual([
      { user: 'legacy', db: 'legacy', passwordFile: '/etc/mongodb/service-users/legacy' },
    ]);
  });

  test('connect: refuses a second database, a reserved user name, a system or invalid database and two workloads with one name', () => {
    const chart = kubernetesChart();
    const cluster = new MongoShardedCluster(chart, 'OrdersDb');
    const orders = new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    cluster.connect(orders, { database: 'shop' });
    expect(() => cluster.connect(orders, { database: 'billing' })).toThrow(
      /platform\/OrdersDb: connect\(database\) is a second database for platform\/Orders \(got "billing"\): the workload already reads MONGODB_URI for "shop"/);
    const metrics = new ServiceCluster(chart, 'Metrics', { image: 'ghcr.io/acme/metrics:1.0.0' });
    expect(() => cluster.connect(metrics)).toThrow(
      /platform\/OrdersDb: connect\(client\) names a user the cluster reserves \(got "metrics"\): rename the workload \(serviceName\): admin, root, metrics, backup, pbm, serviceadmin, clusteradmin/);
    expect(() => cluster.connect(new ServiceCluster(chart, 'Admin', { image: 'ghcr.io/acme/a:1.0.0' }))).toThrow(
      /platform\/OrdersDb: connect\(client\) \(its serviceName, the default database\) is not an application database \(got "admin"\): use 1-63 letters, digits, "_" or "-", other than admin, config and local/);
    expect(() => cluster.connect(new ServiceCluster(chart, 'Carts', { image: 'ghcr.io/acme/c:1.0.0' }), { database: 'a.b' })).toThrow(
      /platform\/OrdersDb: connect\(database\) is not an application database \(got "a.b"\)/);
    const other = new Construct(chart, 'Other');
    const twin = new ServiceCluster(other, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0', serviceName: 'orders' });
    expect(() => cluster.connect(twin, { database: 'shop' })).toThrow(
      /platform\/OrdersDb: connect\(client\) names the same user as platform\/Orders \(got "orders"\): give each workload connected to this cluster its own serviceName/);
  });

  test('conformance: strict 1.27 schema, Pod Security restricted, reliability (default and a larger, TLS-off, S3 variant)', () => {
    const chart = kubernetesChart();
    new MongoShardedCluster(chart, 'OrdersDb', { shardedCollections: ['shop.orders'] });
    new MongoShardedCluster(chart, 'Analytics', {
      shards: 5,
      membersPerShard: 5,
      configServers: 5,
      routers: 3,
      tls: false,
      version: '8.0.4',
      kubernetes: {
        backupTarget: BackupTarget.s3({ bucket: 'b-1', accessKeyId: PlatformSecret.named('s3', 'id'), secretAccessKey: PlatformSecret.named('s3', 'key') }),
      },
    });
    const report = expectKubernetesConformance(manifestsOf(chart));
    // Platform 3; default cluster 23 (the backup claim exists outside the manifests); S3 variant 29 (six replica sets).
    expect(report.objects).toBe(3 + 23 + 29);
  });
});
