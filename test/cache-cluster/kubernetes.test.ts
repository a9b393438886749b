import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { CacheCluster, CacheClusterMode, CacheClusterProps, CacheRestoreSource, EvictionPolicy } from '../../src/cache-cluster';
import { BackupTarget } from '../../src/platform/backup-target';
import { NetworkPeer } from '../../src/platform/network';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { awsStack, expectKubeClasses, findObject, kubernetesChart, manifestsOf, objectsOfKind, ownerLabel } from '../util';

function render(props: CacheClusterProps = {}) {
  const chart = kubernetesChart();
  const cache = new CacheCluster(chart, 'Sessions', props);
  return { chart, cache, manifests: manifestsOf(chart) };
}
const podSpec = (manifests: any[], kind: string, name: string) => findObject(manifests, kind, name).spec.template.spec;
const container = (manifests: any[], kind: string, name: string, containerName: string) =>
  podSpec(manifests, kind, name).containers.find((c: any) => c.name === containerName);
const env = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('CacheCluster on Kubernetes, replication mode', () => {
  test('matches the snapshot', () => {
    expect(render().manifests).toMatchSnapshot();
  });

  test('Redis StatefulSet: 1 + 2 nodes, PVCs retained, AOF everysec + RDB, restricted pods, exporter sidecar', () => {
    const { manifests } = render();
    const set = findObject(manifests, 'StatefulSet', 'sessions');
    expect(set.spec).toMatchObject({
      replicas: 3,
      serviceName: 'sessions-nodes',
      podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(set.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10240Mi' } } });
    const pod = set.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod).toMatchObject({ automountServiceAccountToken: false, enableServiceLinks: false, serviceAccountName: 'sessions' });
    expect(pod.containers.map((c: any) => [c.name, c.image])).toEqual([['redis', 'redis:7.4.2'], ['exporter', 'oliver006/redis_exporter:v1.66.0']]);
    const redis = container(manifests, 'StatefulSet', 'sessions', 'redis');
    expect(redis.command).toEqual(['sh', '/etc/cache/start-redis.sh']);
    expect(redis.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '1024Mi' } });
    expect(redis.lifecycle.preStop.exec.command).toEqual(['sh', '/etc/cache/prestop-redis.sh']);
    expect(redis.readinessProbe.exec.command[2]).toContain("grep -Eq 'PONG'");
    const config = findObject(manifests, 'ConfigMap', 'sessions-config').data;
    expect(config['redis.conf']).toMatch(/appendonly yes\nappendfsync everysec\n[^]*save 3600 1 300 100 60 10000/);
    expect(config['redis.conf']).toMatch(/min-replicas-to-write 1\nmin-replicas-max-lag 10/);
    expect(config['redis.conf']).toContain('maxmemory 768mb\nmaxmemory-policy volatile-lru');
    expect(set.spec.template.metadata.annotations['cache.platform/config-checksum']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('nodes know their stable names, the topology and the password only by Secret reference', () => {
    const { manifests } = render();
    const e = env(container(manifests, 'StatefulSet', 'sessions', 'redis'));
    expect(e.SELF_HOST).toBe('$(POD_NAME).sessions-nodes.shop.svc.cluster.local');
    expect(e.REDIS_NODES).toBe([0, 1, 2].map(i => `sessions-${i}.sessions-nodes.shop.svc.cluster.local:6379`).join(' '));
    expect(e.SENTINELS).toBe([0, 1, 2].map(i => `sessions-sentinel-${i}.sessions-sentinel.shop.svc.cluster.local:26379`).join(' '));
    expect(e.REDIS_PASSWORD).toEqual({ secretKeyRef: { name: 'sessions-auth', key: 'password' } });
    expect(JSON.stringify(manifests)).not.toMatch(/requirepass [^$]/);
  });

  test('three Sentinels (quorum 2) spread over zones and nodes; their PDB keeps a majority', () => {
    const { manifests } = render();
    const sentinels = findObject(manifests, 'StatefulSet', 'sessions-sentinel');
    expect(sentinels.spec.replicas).toBe(3);
    expect(sentinels.spec.template.spec.topologySpreadConstraints.map((c: any) => c.topologyKey))
      .toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(sentinels.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey)
      .toBe('kubernetes.io/hostname');
    expect(findObject(manifests, 'PodDisruptionBudget', 'sessions-sentinel').spec.maxUnavailable).toBe(1);
    const config = findObject(manifests, 'ConfigMap', 'sessions-config').data;
    expect(config['start-sentinel.sh']).toContain('sentinel monitor sessions ${primary%:*} ${primary##*:} 2');
    expect(config['sentinel-primary.conf']).toContain('sentinel down-after-milliseconds sessions 5000');
    expect(findObject(manifests, 'Service', 'sessions-sentinel').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  test('the stable Service reaches the current primary through HAProxy, which needs no Kubernetes API access', () => {
    const { manifests, cache } = render();
    const service = findObject(manifests, 'Service', 'sessions');
    const proxy = findObject(manifests, 'Deployment', 'sessions-proxy');
    expect(service.spec.selector).toEqual(proxy.spec.selector.matchLabels);
    expect(proxy.spec.replicas).toBe(2);
    expect(proxy.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(objectsOfKind(manifests, 'Role')).toEqual([]);
    const haproxy = container(manifests, 'Deployment', 'sessions-proxy', 'haproxy');
    expect(haproxy.image).toBe('haproxy:3.0.5');
    expect(haproxy.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'health' });
    const files = findObject(manifests, 'ConfigMap', 'sessions-config').data;
    const cfg = files['haproxy.cfg'];
    expect(cfg).toContain('tcp-check expect string role:master');
    // The gate script is mounted where the config loads it; the preStop sets the mark the proxy checks.
    expect(cfg).toContain('lua-load /etc/cache/primary-gate.lua');
    expect(files['primary-gate.lua']).toContain('core.register_action("await_primary"');
    expect(haproxy.volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/etc/cache' }));
    expect(cfg).toContain('tcp-check send "AUTH ${REDIS_PASSWORD}\\r\\nCONFIG GET replica-priority\\r\\nQUIT\\r\\n"');
    expect(files['prestop-redis.sh']).toContain('local_cli CONFIG SET replica-priority 0');
    expect(cfg).toContain('server sessions-2 sessions-2.sessions-nodes.shop.svc.cluster.local:6379');
    expect(cache.redisEndpoint.url).toBe('rediss://sessions.shop.svc.cluster.local:6379');
    expect(cache.sentinelEndpoint?.address).toBe('sessions-sentinel.shop.svc.cluster.local:26379');
    expect(cache.redisTls).toBe(true);
    expect(cache.redisClusterMode).toBe(false);
    expect(cache.redisPassword?.secretName).toBe('sessions-auth');
  });

  test('metricsSource points at the redis_exporter sidecars', () => {
    const { cache, manifests } = render();
    expect(cache.metricsSource).toEqual({
      job: 'sessions',
      kind: 'cache',
      port: 9121,
      path: '/metrics',
      host: 'sessions-nodes.shop.svc.cluster.local',
      selector: findObject(manifests, 'StatefulSet', 'sessions').spec.selector.matchLabels,
      namespace: 'shop',
    });
  });

  test('allowFrom admits a service to the proxy, the Sentinels and the nodes, and opens the service’s egress', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'Sessions');
    const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    cache.allowFrom(users);
    cache.allowFrom(NetworkPeer.ipv4('10.1.0.0/16'));
    const manifests = manifestsOf(chart);
    const usersPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'users', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(users) } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } };
    expect(findObject(manifests, 'NetworkPolicy', 'sessions-proxy').spec.ingress).toEqual([
      { from: [usersPods], ports: [{ protocol: 'TCP', port: 6379 }] },
      { from: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ protocol: 'TCP', port: 6379 }] },
    ]);
    expect(findObject(manifests, 'NetworkPolicy', 'sessions-sentinel').spec.ingress).toContainEqual({ from: [usersPods], ports: [{ protocol: 'TCP', port: 26379 }] });
    // A client gets the data port, never the exporter's.
    expect(findObject(manifests, 'NetworkPolicy', 'sessions').spec.ingress).toContainEqual({ from: [usersPods], ports: [{ protocol: 'TCP', port: 6379 }] });
    const egress = findObject(manifests, 'NetworkPolicy', 'users').spec.egress;
    expect(egress.map((r: any) => [r.to[0].podSelector.matchLabels['app.kubernetes.io/name'], r.ports[0].port]))
      .toEqual([['sessions', 6379], ['sessions-proxy', 6379], ['sessions-sentinel', 26379]]);
    expectKubernetesConformance(manifests);
  });

  test('allowMetricsFrom admits a scraper to the exporters alone: no data port, no Sentinel port', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'Sessions');
    const scraper = NetworkPeer.fromPodLabels({ app: 'prometheus' }, 'monitoring');
    cache.allowMetricsFrom(scraper);
    const manifests = manifestsOf(chart);
    const fromScraper = (name: string) => findObject(manifests, 'NetworkPolicy', name).spec.ingress
      .filter((r: any) => r.from.some((p: any) => p.podSelector?.matchLabels?.app === 'prometheus'));
    expect(fromScraper('sessions')).toEqual([{ from: [expect.anything()], ports: [{ protocol: 'TCP', port: 9121 }] }]);
    expect(fromScraper('sessions-sentinel')).toEqual([]);
    expect(fromScraper('sessions-proxy')).toEqual([]);
    expect(() => new CacheCluster(awsStack(), 'Sessions').allowMetricsFrom(scraper))
      .toThrow('Platform/Sessions: allowMetricsFrom is not supported on aws: ElastiCache publishes its metrics to CloudWatch (namespace AWS/ElastiCache); use metric() instead');
  });

  test('internal traffic only between the parts that need it', () => {
    const { manifests, cache } = render();
    const nodes = findObject(manifests, 'NetworkPolicy', 'sessions').spec;
    const names = (rule: any) => rule.from.flatMap((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']
      ?? p.podSelector.matchExpressions.find((e: any) => e.key === 'app.kubernetes.io/name').values);
    expect(nodes.ingress.map((r: any) => [names(r), r.ports.map((p: any) => p.port)])).toEqual([
      [['sessions'], [6379]], [['sessions-sentinel'], [6379]], [['sessions-proxy'], [6379]], [['sessions-backup', 'sessions-restore'], [6379]],
    ]);
    expect(findObject(manifests, 'NetworkPolicy', 'sessions-proxy').spec.egress)
      .toEqual([{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'sessions', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(cache) } } }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
  });

  test('options: sizes, images, failure detection, sentinels, custom auth, DESTROY deletes the claims', () => {
    const { manifests } = render({
      replicas: 1,
      evictionPolicy: EvictionPolicy.ALLKEYS_LFU,
      auth: PlatformSecret.named('vault-redis', 'token'),
      removalPolicy: RemovalPolicy.DESTROY,
      kubernetes: {
        sentinels: 5,
        memory: Size.gibibytes(4),
        cpu: 2,
        storage: Size.gibibytes(50),
        failureDetection: Duration.seconds(3),
        image: 'registry.local/redis:7.4.2',
        proxyReplicas: 3,
      },
    });
    const set = findObject(manifests, 'StatefulSet', 'sessions');
    expect(set.spec.replicas).toBe(2);
    expect(set.spec.persistentVolumeClaimRetentionPolicy.whenDeleted).toBe('Delete');
    expect(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('51200Mi');
    expect(container(manifests, 'StatefulSet', 'sessions', 'redis').image).toBe('registry.local/redis:7.4.2');
    expect(env(container(manifests, 'StatefulSet', 'sessions', 'redis')).REDIS_PASSWORD).toEqual({ secretKeyRef: { name: 'vault-redis', key: 'token' } });
    expect(findObject(manifests, 'StatefulSet', 'sessions-sentinel').spec.replicas).toBe(5);
    expect(findObject(manifests, 'PodDisruptionBudget', 'sessions-sentinel').spec.maxUnavailable).toBe(2);
    expect(findObject(manifests, 'Deployment', 'sessions-proxy').spec.replicas).toBe(3);
    const data = findObject(manifests, 'ConfigMap', 'sessions-config').data;
    expect(data['redis.conf']).toContain('maxmemory 3072mb\nmaxmemory-policy allkeys-lfu');
    expect(data['start-sentinel.sh']).toContain('${primary##*:} 3');
    expect(data['sentinel-primary.conf']).toContain('down-after-milliseconds sessions 3000\nsentinel failover-timeout sessions 30000');
    expectKubernetesConformance(manifests);
  });

  test('without automatic failover: no Sentinels, the proxy still follows the primary; without persistence no claims', () => {
    const { manifests, cache } = render({ automaticFailover: false, persistence: false, replicas: 1 });
    expect(objectsOfKind(manifests, 'StatefulSet').map(s => s.metadata.name)).toEqual(['sessions']);
    expect(findObject(manifests, 'Deployment', 'sessions-proxy')).toBeDefined();
    const set = findObject(manifests, 'StatefulSet', 'sessions');
    expect(set.spec.volumeClaimTemplates).toBeUndefined();
    expect(set.spec.template.spec.volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '10240Mi' } });
    expect(findObject(manifests, 'ConfigMap', 'sessions-config').data['redis.conf']).toContain('appendonly no\nsave ""');
    expect(cache.sentinelEndpoint).toBeUndefined();
    expectKubernetesConformance(manifests);
  });

  test('conformance: strict schema, Pod Security restricted, reliability', () => {
    const report = expectKubernetesConformance(render().manifests);
    console.info(`CacheCluster (replication) on Kubernetes: ${report.objects} objects, ${report.findings.length} findings`);
  });

  test('escape hatches are typed k8s objects: a patch through the typed StatefulSet and proxy Deployment reaches the manifest', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'Sessions', {});
    const resources = cache.kubernetes!;
    expectKubeClasses(resources, {
      statefulSet: k8s.KubeStatefulSet,
      headlessService: k8s.KubeService,
      service: k8s.KubeService,
      configMap: k8s.KubeConfigMap,
      serviceAccount: k8s.KubeServiceAccount,
      disruptionBudget: k8s.KubePodDisruptionBudget,
      networkPolicy: k8s.KubeNetworkPolicy,
      sentinelStatefulSet: k8s.KubeStatefulSet,
      sentinelService: k8s.KubeService,
      sentinelDisruptionBudget: k8s.KubePodDisruptionBudget,
      sentinelNetworkPolicy: k8s.KubeNetworkPolicy,
      proxyDeployment: k8s.KubeDeployment,
      proxyDisruptionBudget: k8s.KubePodDisruptionBudget,
      proxyNetworkPolicy: k8s.KubeNetworkPolicy,
      backupCronJob: k8s.KubeCronJob,
      backupStore: k8s.KubeStatefulSet,
      backupStoreNetworkPolicy: k8s.KubeNetworkPolicy,
      backupScripts: k8s.KubeConfigMap,
      backupNetworkPolicy: k8s.KubeNetworkPolicy,
    });
    const statefulSet: k8s.KubeStatefulSet = resources.statefulSet;
    expect([statefulSet.apiVersion, statefulSet.kind]).toEqual([k8s.KubeStatefulSet.GVK.apiVersion, k8s.KubeStatefulSet.GVK.kind]);
    statefulSet.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 20));
    resources.proxyDeployment!.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'cache-critical'));
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'StatefulSet', 'sessions').spec.minReadySeconds).toBe(20);
    expect(podSpec(manifests, 'Deployment', 'sessions-proxy').priorityClassName).toBe('cache-critical');
  });

  test('metric methods are AWS-only', () => {
    const { cache } = render();
    expect(() => cache.metricCpuUtilization()).toThrow(/Sessions: metricCpuUtilization is not supported on kubernetes: CloudWatch metrics exist on aws only/);
    expect(() => cache.memberClusterIds).toThrow(/memberClusterIds is not supported on kubernetes/);
  });
});

describe('CacheCluster on Kubernetes, cluster mode', () => {
  const cluster = (props: CacheClusterProps = {}) => render({ mode: CacheClusterMode.CLUSTER, replicas: 1, ...props });

  test('matches the snapshot', () => {
    expect(cluster().manifests).toMatchSnapshot();
  });

  test('escape hatches are typed k8s objects: the setup and restore Jobs too', () => {
    const { cache } = cluster({ restoreFrom: CacheRestoreSource.fromBackup(BackupTarget.volume(), ['20260101T030000Z.rdb']) });
    expectKubeClasses(cache.kubernetes!, {
      statefulSet: k8s.KubeStatefulSet,
      headlessService: k8s.KubeService,
      service: k8s.KubeService,
      configMap: k8s.KubeConfigMap,
      serviceAccount: k8s.KubeServiceAccount,
      disruptionBudget: k8s.KubePodDisruptionBudget,
      networkPolicy: k8s.KubeNetworkPolicy,
      setupJob: k8s.KubeJob,
      setupNetworkPolicy: k8s.KubeNetworkPolicy,
      backupCronJob: k8s.KubeCronJob,
      backupStore: k8s.KubeStatefulSet,
      backupStoreNetworkPolicy: k8s.KubeNetworkPolicy,
      backupScripts: k8s.KubeConfigMap,
      backupNetworkPolicy: k8s.KubeNetworkPolicy,
      restoreJob: k8s.KubeJob,
    });
  });

  test('S × (1 + R) nodes with cluster-enabled, the cluster bus, and no Sentinels or proxy', () => {
    const { manifests, cache } = cluster({ shards: 4 });
    expect(findObject(manifests, 'StatefulSet', 'sessions').spec.replicas).toBe(8);
    expect(container(manifests, 'StatefulSet', 'sessions', 'redis').ports).toEqual([
      { name: 'redis', containerPort: 6379, protocol: 'TCP' }, { name: 'cluster-bus', containerPort: 16379, protocol: 'TCP' },
    ]);
    expect(findObject(manifests, 'ConfigMap', 'sessions-config').data['redis.conf']).toMatch(/cluster-enabled yes\ncluster-config-file nodes.conf\ncluster-node-timeout 5000/);
    expect(objectsOfKind(manifests, 'Deployment')).toEqual([]);
    // The Redis nodes, and the keeper of the snapshot volume.
    expect(objectsOfKind(manifests, 'StatefulSet').map((s: any) => s.metadata.name)).toEqual(['sessions', 'sessions-backups']);
    expect(findObject(manifests, 'Service', 'sessions').spec.selector).toEqual(findObject(manifests, 'StatefulSet', 'sessions').spec.selector.matchLabels);
    expect(cache.redisClusterMode).toBe(true);
    expect(cache.sentinelEndpoint).toBeUndefined();
    const nodes = findObject(manifests, 'NetworkPolicy', 'sessions').spec;
    expect(nodes.ingress[0].ports.map((p: any) => p.port)).toEqual([6379, 16379]);
  });

  test('the setup Job runs the idempotent script; a new shard count gets a new Job; finished Jobs expire', () => {
    const [job] = objectsOfKind(cluster({ shards: 4 }).manifests, 'Job');
    expect(job.metadata.name).toMatch(/^sessions-setup-[0-9a-f]{8}$/);
    expect(job.spec.ttlSecondsAfterFinished).toBe(7 * 24 * 3600);
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual(['sh', '/etc/cache/cluster-setup.sh']);
    expect(env(c)).toMatchObject({ REPLICAS_PER_SHARD: '1', REDISCLI_AUTH: { secretKeyRef: { name: 'sessions-auth', key: 'password' } } });
    expect(env(c).REDIS_NODES.split(' ')).toHaveLength(8);
    expect(job.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(objectsOfKind(cluster({ shards: 5 }).manifests, 'Job')[0].metadata.name).not.toBe(job.metadata.name);
  });

  test('conformance: strict schema, Pod Security restricted, reliability', () => {
    const report = expectKubernetesConformance(cluster().manifests);
    console.info(`CacheCluster (cluster) on Kubernetes: ${report.objects} objects, ${report.findings.length} findings`);
  });
});
