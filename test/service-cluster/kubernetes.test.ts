import { Duration, Size } from 'aws-cdk-lib';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { KubernetesPlatform, NetworkPeer, PlatformSecret, RolloutStrategy, ServiceCluster } from '../../src';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { expectKubeClasses, findObject, kubernetesChart, manifestsOf, ownerLabel } from '../util';

function render(props: Partial<ConstructorParameters<typeof ServiceCluster>[2]> = {}) {
  const chart = kubernetesChart();
  const service = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2', ...props });
  return { chart, service, manifests: manifestsOf(chart) };
}

function podSpec(manifests: any[]) {
  return findObject(manifests, 'Deployment', 'users').spec.template.spec;
}

describe('ServiceCluster on Kubernetes', () => {
  test('matches the snapshot', () => {
    expect(render({ environment: { LOG_LEVEL: 'info' } }).manifests).toMatchSnapshot();
  });

  test('restricted security context: non-root, read-only root with a writable /tmp, drop ALL, RuntimeDefault seccomp, no token', () => {
    const pod = podSpec(render().manifests);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('users');
    const [container] = pod.containers;
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
  });

  test('the token is mounted only when asked', () => {
    const { manifests } = render({ kubernetes: { mountServiceAccountToken: true, serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' } } });
    expect(podSpec(manifests).automountServiceAccountToken).toBe(true);
    expect(findObject(manifests, 'ServiceAccount', 'users').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' });
  });

  test('health check drives startup, readiness and liveness probes', () => {
    const { manifests } = render({ healthCheck: { path: '/ready', interval: Duration.seconds(15), timeout: Duration.seconds(3), startupGracePeriod: Duration.seconds(90) } });
    const [container] = podSpec(manifests).containers;
    const httpGet = { path: '/ready', port: 'http' };
    expect(container.startupProbe).toEqual({ httpGet, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 18 });
    expect(container.readinessProbe).toEqual({ httpGet, periodSeconds: 15, timeoutSeconds: 3, successThreshold: 2, failureThreshold: 3 });
    expect(container.livenessProbe).toEqual({ httpGet, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 3 });
  });

  test('graceful shutdown: preStop sleep, then the grace period', () => {
    const { manifests } = render({ shutdownGracePeriod: Duration.seconds(40) });
    const pod = podSpec(manifests);
    expect(pod.terminationGracePeriodSeconds).toBe(45);
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 5'] } } });
  });

  test('requests and limits follow cpu and memory', () => {
    const [container] = podSpec(render({ cpu: 1, memory: Size.gibibytes(2) }).manifests).containers;
    expect(container.resources).toEqual({ requests: { cpu: '1000m', memory: '2048Mi' }, limits: { memory: '2048Mi' } });
  });

  test('safe rollout: zone and node spread, surge without unavailability, PDB', () => {
    const { manifests } = render();
    const deployment = findObject(manifests, 'Deployment', 'users');
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
    expect(deployment.spec.template.spec.topologySpreadConstraints.map((c: any) => c.topologyKey))
      .toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    const pdb = findObject(manifests, 'PodDisruptionBudget', 'users');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels } });
  });

  test('autoscaling/v2: 2-10 replicas, 70 % CPU, 80 % memory; the Deployment leaves replicas to the HPA', () => {
    const { manifests } = render();
    const hpa = findObject(manifests, 'HorizontalPodAutoscaler', 'users');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'users' } });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(findObject(manifests, 'Deployment', 'users').spec.replicas).toBeUndefined();
  });

  test('request-rate scaling uses a per-pod custom metric', () => {
    const hpa = findObject(render({ targetRequestsPerSecond: 50 }).manifests, 'HorizontalPodAutoscaler', 'users');
    expect(hpa.spec.metrics).toContainEqual({
      type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '50' } },
    });
  });

  test('a fixed replica count sets replicas and renders no HPA', () => {
    const { manifests, service } = render({ minReplicas: 3, maxReplicas: 3 });
    expect(findObject(manifests, 'Deployment', 'users').spec.replicas).toBe(3);
    expect(manifests.filter(o => o.kind === 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(service.kubernetes!.autoscaler).toBeUndefined();
  });

  test('Service: port 80 to the named container port; metrics port when separate', () => {
    const { manifests, service } = render({ metrics: { port: 9090 } });
    expect(findObject(manifests, 'Service', 'users').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(service.endpoint.url).toBe('http://users.shop.svc.cluster.local:80');
    expect(service.metricsSource).toEqual({
      job: 'users',
      kind: 'service',
      port: 9090,
      path: '/metrics',
      host: 'users.shop.svc.cluster.local',
      selector: { 'app.kubernetes.io/name': 'users', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(service) },
      namespace: 'shop',
      // Its size, so resource alerts fire at a fraction of it.
      cpuCores: 0.5,
      memoryBytes: 1024 ** 3,
    });
  });

  test('secrets are secretKeyRefs: no credential value in the manifest', () => {
    const { manifests } = render({ secrets: { DB_PASSWORD: PlatformSecret.named('users-db', 'password') } });
    expect(podSpec(manifests).containers[0].env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'users-db', key: 'password' } } },
    ]);
    expect(manifests.filter(o => o.kind === 'Secret')).toHaveLength(0);
  });

  test('network: the service policy admits nobody until allowFrom; allowFrom opens both sides', () => {
    const chart = kubernetesChart();
    const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    const orders = new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    expect(findObject(manifestsOf(chart), 'NetworkPolicy', 'users').spec.ingress).toEqual([]);
    users.allowFrom(orders);
    users.allowFrom(NetworkPeer.fromPodLabels({ app: 'batch' }, 'jobs'));
    const manifests = manifestsOf(chart);
    const ordersSelector = { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(orders) };
    const usersSelector = { 'app.kubernetes.io/name': 'users', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(users) };
    const shop = { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } };
    expect(findObject(manifests, 'NetworkPolicy', 'users').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: ordersSelector }, namespaceSelector: shop }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ podSelector: { matchLabels: { app: 'batch' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    expect(findObject(manifests, 'NetworkPolicy', 'orders').spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: usersSelector }, namespaceSelector: shop }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test('allowFrom admits to the service port only; allowMetricsFrom to the metrics port only', () => {
    const chart = kubernetesChart();
    const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2', metrics: { port: 9090 } });
    users.allowFrom(NetworkPeer.fromPodLabels({ app: 'client' }));
    users.allowMetricsFrom(NetworkPeer.fromPodLabels({ app: 'scraper' }));
    const ingress = findObject(manifestsOf(chart), 'NetworkPolicy', 'users').spec.ingress;
    expect(ingress.map((r: any) => [r.from[0].podSelector.matchLabels.app, r.ports.map((p: any) => p.port)])).toEqual([
      ['client', [8080]],
      ['scraper', [9090]],
    ]);
  });

  test('namespace, default-deny and DNS egress come first, once per chart', () => {
    const chart = kubernetesChart();
    new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    const manifests = manifestsOf(chart);
    expect(manifests.slice(0, 3).map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/shop', 'NetworkPolicy/default-deny-all', 'NetworkPolicy/allow-dns-egress',
    ]);
    expect(findObject(manifests, 'Namespace', 'shop').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // cluster-scoped: the Chart's namespace is not stamped on it
    expect(findObject(manifests, 'Namespace', 'shop').metadata).not.toHaveProperty('namespace');
    expect(findObject(manifests, 'NetworkPolicy', 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('objects of constructs attached before the platform still follow the namespace and policies', () => {
    const chart = kubernetesChart();
    const team = new Construct(chart, 'Team');
    new ServiceCluster(team, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    new ServiceCluster(team, 'Payments', { image: 'ghcr.io/acme/payments:1.0.0' });
    const order = manifestsOf(chart).map(o => `${o.kind}/${o.metadata.name}`);
    const lastPlatformObject = order.indexOf('NetworkPolicy/allow-dns-egress');
    expect(order.slice(0, lastPlatformObject + 1)).toEqual(['Namespace/shop', 'NetworkPolicy/default-deny-all', 'NetworkPolicy/allow-dns-egress']);
    expect(order).toEqual(expect.arrayContaining(['Deployment/users', 'Deployment/orders', 'Deployment/payments']));
  });

  test('constructs attached after the platform need no dependency to follow it', () => {
    const chart = kubernetesChart();
    KubernetesPlatform.of(chart);
    const orders = new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    expect(orders.node.dependencies).toEqual([]);
    expect(manifestsOf(chart).slice(0, 4).map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/shop', 'NetworkPolicy/default-deny-all', 'NetworkPolicy/allow-dns-egress', 'ServiceAccount/orders',
    ]);
  });

  test('every object carries the app.kubernetes.io labels and the namespace', () => {
    for (const object of render().manifests) {
      expect(object.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'platform', 'app.kubernetes.io/managed-by': 'cdk-portable-platform' });
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('shop');
    }
  });

  test('addEnvironment and addSecret work after construction', () => {
    const chart = kubernetesChart();
    const service = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    service.addEnvironment('FEATURE_X', 'on');
    service.addSecret('API_TOKEN', PlatformSecret.named('users-api', 'token'));
    expect(podSpec(manifestsOf(chart)).containers[0].env).toEqual([
      { name: 'FEATURE_X', value: 'on' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'users-api', key: 'token' } } },
    ]);
  });

  test('escape hatches are typed k8s objects: a patch through the typed Deployment reaches the manifest', () => {
    const chart = kubernetesChart();
    const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    const resources = users.kubernetes!;
    expectKubeClasses(resources, {
      deployment: k8s.KubeDeployment,
      service: k8s.KubeService,
      serviceAccount: k8s.KubeServiceAccount,
      disruptionBudget: k8s.KubePodDisruptionBudget,
      networkPolicy: k8s.KubeNetworkPolicy,
      autoscaler: k8s.KubeHorizontalPodAutoscalerV2,
    });
    const deployment = resources.deployment as k8s.KubeDeployment;
    expect([deployment.apiVersion, deployment.kind]).toEqual([k8s.KubeDeployment.GVK.apiVersion, k8s.KubeDeployment.GVK.kind]);
    deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 15));
    resources.autoscaler!.addJsonPatch(JsonPatch.replace('/spec/behavior/scaleDown/stabilizationWindowSeconds', 600));
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'Deployment', 'users').spec.minReadySeconds).toBe(15);
    expect(findObject(manifests, 'HorizontalPodAutoscaler', 'users').spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
  });

  test('with a canary the deployment is the Argo Rollout and the AnalysisTemplate, custom resources as ApiObjects', () => {
    const users = new ServiceCluster(kubernetesChart(), 'Users', {
      image: 'ghcr.io/acme/users:1.4.2', minReplicas: 3, maxReplicas: 3, rollout: RolloutStrategy.sloGatedCanary(),
    });
    expectKubeClasses(users.kubernetes!, {
      service: k8s.KubeService,
      serviceAccount: k8s.KubeServiceAccount,
      disruptionBudget: k8s.KubePodDisruptionBudget,
      networkPolicy: k8s.KubeNetworkPolicy,
    }, ['deployment', 'analysisTemplate']);
    expect(users.kubernetes!.deployment.kind).toBe('Rollout');
  });

  test('conformance: strict 1.27 schema, Pod Security restricted, reliability', () => {
    const chart = kubernetesChart();
    const users = new ServiceCluster(chart, 'Users', {
      image: 'ghcr.io/acme/users:1.4.2',
      environment: { LOG_LEVEL: 'info' },
      secrets: { DB_PASSWORD: PlatformSecret.named('users-db', 'password') },
      targetRequestsPerSecond: 100,
    });
    const orders = new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0', metrics: { port: 9090 } });
    users.allowFrom(orders);
    new ServiceCluster(chart, 'Fixed', { image: 'ghcr.io/acme/fixed@sha256:' + 'a'.repeat(64), minReplicas: 2, maxReplicas: 2 });
    const report = expectKubernetesConformance(manifestsOf(chart));
    expect(report.objects).toBe(3 + 6 + 6 + 5);
  });
});
