import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { MessageQueue, MessageQueueProps } from '../../src/message-queue';
import { ServiceCluster } from '../../src/service-cluster';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { expectKubeClasses, findObject, kubernetesChart, manifestsOf } from '../util';

function render(props: MessageQueueProps = {}) {
  const chart = kubernetesChart();
  const queue = new MessageQueue(chart, 'Orders', props);
  return { chart, queue, manifests: manifestsOf(chart) };
}
const rabbit = (manifests: any[]) => findObject(manifests, 'StatefulSet', 'orders').spec.template.spec.containers.find((c: any) => c.name === 'rabbitmq');
const env = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

function wired() {
  const chart = kubernetesChart();
  const queue = new MessageQueue(chart, 'Orders', { priorityLevels: 2, maxReceiveCount: 3 });
  const api = new ServiceCluster(chart, 'OrdersApi', { image: 'ghcr.io/acme/orders:1.0.0' });
  const worker = new ServiceCluster(chart, 'Fulfilment', { image: 'ghcr.io/acme/fulfilment:1.0.0' });
  queue.grantSend(api);
  queue.grantConsume(worker);
  return { chart, queue, manifests: manifestsOf(chart) };
}

describe('MessageQueue on Kubernetes', () => {
  test('matches the snapshot', () => {
    expect(wired().manifests).toMatchSnapshot();
  });

  test('a three-node RabbitMQ StatefulSet: retained volumes, restricted pods without token, spread, PDB', () => {
    const { manifests } = render();
    const set = findObject(manifests, 'StatefulSet', 'orders');
    expect(set.spec).toMatchObject({
      replicas: 3,
      serviceName: 'orders-nodes',
      podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10240Mi');
    const pod = set.spec.template.spec;
    expect(pod).toMatchObject({ automountServiceAccountToken: false, enableServiceLinks: false, serviceAccountName: 'orders' });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(rabbit(manifests).image).toBe('rabbitmq:3.13.7');
    expect(rabbit(manifests).lifecycle.preStop.exec.command).toEqual(['rabbitmq-upgrade', 'await_online_quorum_plus_one', '-t', '600']);
    expect(findObject(manifests, 'PodDisruptionBudget', 'orders').spec.maxUnavailable).toBe(1);
    expect(findObject(manifests, 'Service', 'orders-nodes').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  test('clusters from a fixed peer list (no Kubernetes API), AMQPS only, TLS and cookie from Secrets', () => {
    const { manifests } = render();
    const conf = findObject(manifests, 'ConfigMap', 'orders-config').data['rabbitmq.conf'];
    expect(conf).toContain('cluster_formation.peer_discovery_backend = classic_config');
    expect(conf).toContain('cluster_formation.classic_config.nodes.3 = rabbit@orders-2.orders-nodes.shop.svc.cluster.local');
    expect(conf).toContain('listeners.tcp = none\nlisteners.ssl.default = 5671');
    expect(conf).toContain('prometheus.tcp.port = 15692');
    expect(env(rabbit(manifests)).RABBITMQ_NODENAME).toBe('rabbit@$(POD_NAME).orders-nodes.shop.svc.cluster.local');
    // The nodes, the CLI tools and the probes speak TLS to each other with the same certificate.
    const tlsArgs = '-proto_dist inet_tls -ssl_dist_optfile /etc/rabbitmq-platform/inter_node_tls.config';
    expect(env(rabbit(manifests))).toMatchObject({ RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: tlsArgs, RABBITMQ_CTL_ERL_ARGS: tlsArgs });
    expect(findObject(manifests, 'ConfigMap', 'orders-config').data['inter_node_tls.config']).toContain('{verify, verify_peer},\n    {fail_if_no_peer_cert, true}');
    const volumes = Object.fromEntries(findObject(manifests, 'StatefulSet', 'orders').spec.template.spec.volumes.map((v: any) => [v.name, v]));
    expect(volumes.tls.secret.secretName).toBe('orders-tls');
    expect(volumes.cookie.secret.secretName).toBe('orders-erlang-cookie');
    expect(volumes['conf-d'].configMap.items).toEqual([{ key: 'rabbitmq.conf', path: '10-platform.conf' }]);
    expect(findObject(manifests, 'Service', 'orders').spec.ports).toEqual([{ name: 'amqps', port: 5671, targetPort: 'amqps', protocol: 'TCP' }]);
  });

  test('queues from props: quorum, delivery limit, dead-lettering, retention, consumer timeout', () => {
    const { manifests } = render({ maxReceiveCount: 7, retentionPeriod: Duration.days(1), visibilityTimeout: Duration.minutes(10) });
    const data = findObject(manifests, 'ConfigMap', 'orders-config').data;
    const definitions = JSON.parse(data['definitions.template.json']);
    const queue = definitions.queues.find((q: any) => q.name === 'orders');
    expect(queue.arguments).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 6,
      'x-dead-letter-exchange': 'orders.dlx',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
      'x-message-ttl': 86_400_000,
    });
    expect(definitions.queues.map((q: any) => q.name)).toEqual(['orders', 'orders-dlq']);
    expect(data['rabbitmq.conf']).toContain('consumer_timeout = 600000');
  });

  test('grants: a broker user per application, passwords only as Secret references, NetworkPolicies both ways', () => {
    const { manifests } = wired();
    const data = findObject(manifests, 'ConfigMap', 'orders-config').data;
    const definitions = JSON.parse(data['definitions.template.json']);
    expect(definitions.permissions).toEqual([
      { user: 'fulfilment', vhost: '/', configure: '^$', write: '^$', read: '^(orders-p1|orders-p0)$' },
      { user: 'orders-api', vhost: '/', configure: '^$', write: '^orders$', read: '^$' },
    ]);
    expect(definitions.users.map((u: any) => u.password)).toEqual(['@@PASSWORD:fulfilment@@', '@@PASSWORD:orders-api@@']);
    expect(env(rabbit(manifests)).RABBITMQ_PASSWORD_ORDERS_API).toEqual({ secretKeyRef: { name: 'orders-user-orders-api', key: 'password' } });
    const apiEnv = env(findObject(manifests, 'Deployment', 'orders-api').spec.template.spec.containers[0]);
    expect(apiEnv).toMatchObject({
      ORDERS_BROKER: 'amqp',
      ORDERS_HOST: 'orders.shop.svc.cluster.local',
      ORDERS_PORT: '5671',
      ORDERS_TLS: 'true',
      ORDERS_USERNAME: 'orders-api',
      ORDERS_EXCHANGE: 'orders',
      ORDERS_QUEUES: 'orders-p1,orders-p0',
      ORDERS_PASSWORD: { secretKeyRef: { name: 'orders-user-orders-api', key: 'password' } },
    });
    const policy = findObject(manifests, 'NetworkPolicy', 'orders').spec;
    const admitted = policy.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 5671)).map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name']);
    expect(admitted.sort()).toEqual(['fulfilment', 'orders-api']);
    const workerEgress = findObject(manifests, 'NetworkPolicy', 'fulfilment').spec.egress;
    expect(JSON.stringify(workerEgress)).toContain('"port":5671');
  });

  test('the config checksum follows the grants, so nodes restart with new users', () => {
    const before = findObject(render().manifests, 'StatefulSet', 'orders').spec.template.metadata.annotations['message-queue.platform/config-checksum'];
    const after = findObject(wired().manifests, 'StatefulSet', 'orders').spec.template.metadata.annotations['message-queue.platform/config-checksum'];
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  test('kubernetes options and DESTROY', () => {
    const { manifests } = render({
      removalPolicy: RemovalPolicy.DESTROY,
      kubernetes: { nodes: 5, memory: Size.gibibytes(2), storage: Size.gibibytes(50), tlsSecretName: 'mq-cert', image: 'rabbitmq:3.13.7-management' },
    });
    const set = findObject(manifests, 'StatefulSet', 'orders');
    expect(set.spec.replicas).toBe(5);
    expect(set.spec.persistentVolumeClaimRetentionPolicy.whenDeleted).toBe('Delete');
    expect(rabbit(manifests).resources).toEqual({ requests: { cpu: '500m', memory: '2048Mi' }, limits: { memory: '2048Mi' } });
  });

  test('metrics source for the observability stack: rabbitmq_prometheus on 15692', () => {
    const { queue } = render();
    expect(queue.metricsSource).toMatchObject({ job: 'orders', kind: 'queue', port: 15692, path: '/metrics', namespace: 'shop' });
    expect(queue.endpoint!.url).toBe('amqps://orders.shop.svc.cluster.local:5671');
  });

  test('allowFrom admits a peer to AMQPS only; allowMetricsFrom to the metrics port only', () => {
    const chart = kubernetesChart();
    const queue = new MessageQueue(chart, 'Orders', {});
    const api = new ServiceCluster(chart, 'Api', { image: 'ghcr.io/acme/api:1.0.0' });
    const scraper = new ServiceCluster(chart, 'Scraper', { image: 'ghcr.io/acme/scraper:1.0.0' });
    queue.allowFrom(api);
    queue.allowMetricsFrom(scraper);
    const ingress = findObject(manifestsOf(chart), 'NetworkPolicy', 'orders').spec.ingress;
    const portsFor = (name: string) => ingress
      .filter((rule: any) => rule.from.some((peer: any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === name))
      .flatMap((rule: any) => rule.ports.map((p: any) => p.port));
    expect(portsFor('api')).toEqual([5671]);
    expect(portsFor('scraper')).toEqual([15692]);
  });

  test('escape hatches are typed k8s objects: a patch through the typed StatefulSet reaches the manifest', () => {
    const chart = kubernetesChart();
    const queue = new MessageQueue(chart, 'Orders', {});
    const resources = queue.kubernetes!;
    expectKubeClasses(resources, {
      statefulSet: k8s.KubeStatefulSet,
      headlessService: k8s.KubeService,
      service: k8s.KubeService,
      configMap: k8s.KubeConfigMap,
      serviceAccount: k8s.KubeServiceAccount,
      disruptionBudget: k8s.KubePodDisruptionBudget,
      networkPolicy: k8s.KubeNetworkPolicy,
    });
    const statefulSet: k8s.KubeStatefulSet = resources.statefulSet;
    statefulSet.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 30));
    expect(findObject(manifestsOf(chart), 'StatefulSet', 'orders').spec.minReadySeconds).toBe(30);
  });

  test('CloudWatch metric methods fail on kubernetes with a clear message', () => {
    const { queue } = render();
    expect(() => queue.metricMessagesVisible()).toThrow(/platform\/Orders: metricMessagesVisible is not supported on kubernetes/);
  });

  test('passes strict schema, Pod Security "restricted" and reliability checks with a publisher and a consumer', () => {
    const report = expectKubernetesConformance(wired().manifests);
    expect(report.objects).toBeGreaterThan(10);
  });
});
