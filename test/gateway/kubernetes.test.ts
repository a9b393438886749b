import { Duration } from 'aws-cdk-lib';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { parse } from 'yaml';
import { FakeRedis, JWT, smallGateway } from './fixtures';
import { redirectProblems } from './traefik-redirects';
import { referenceProblems, schemaProblems } from './traefik-schema';
import { GatewayPolicy, JwtVerifier, RouteTarget, TlsSource } from '../../src/gateway';
import { ServiceCluster } from '../../src/service-cluster';
import { expectKubernetesConformance, validateCustomResource } from '../conformance/kubernetes';
import { expectKubeClasses, findObject, kubernetesChart, manifestsOf, ownerLabel } from '../util';

function render(props: Parameters<typeof smallGateway>[1] = {}) {
  const chart = kubernetesChart();
  const built = smallGateway(chart, props);
  return { chart, ...built, manifests: manifestsOf(chart) };
}

const podSpec = (manifests: any[]) => findObject(manifests, 'Deployment', 'api').spec.template.spec;
const dynamicConfig = (manifests: any[]) => parse(findObject(manifests, 'ConfigMap', 'api-dynamic').data['dynamic.yaml']);

describe('Gateway on Kubernetes', () => {
  test('escape hatches are typed k8s objects (the cert-manager Certificate is an ApiObject): a patch through the typed Deployment reaches the manifest', () => {
    const chart = kubernetesChart();
    const { gateway } = smallGateway(chart, { kubernetes: { tls: TlsSource.certManager({ issuerName: 'letsencrypt' }) } });
    expectKubeClasses(gateway.kubernetes!, {
      deployment: k8s.KubeDeployment,
      service: k8s.KubeService,
      metricsService: k8s.KubeService,
      staticConfig: k8s.KubeConfigMap,
      dynamicConfig: k8s.KubeConfigMap,
      serviceAccount: k8s.KubeServiceAccount,
      disruptionBudget: k8s.KubePodDisruptionBudget,
      autoscaler: k8s.KubeHorizontalPodAutoscalerV2,
      networkPolicy: k8s.KubeNetworkPolicy,
    }, ['certificate']);
    const deployment: k8s.KubeDeployment = gateway.kubernetes!.deployment;
    deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 10));
    expect(findObject(manifestsOf(chart), 'Deployment', 'api').spec.minReadySeconds).toBe(10);
  });

  test('matches the snapshot', () => {
    expect(render({ jwt: JWT, rateLimit: { average: 100 } }).manifests).toMatchSnapshot();
  });

  test('Traefik: pinned v3 image, static config file, restricted pod, no service-account token', () => {
    const pod = podSpec(render().manifests);
    const [traefik] = pod.containers;
    expect(traefik.image).toBe('traefik:v3.5.3');
    expect(traefik.args).toEqual(['--configFile=/etc/traefik/static/traefik.yaml']);
    expect(traefik.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(findObject(render().manifests, 'ServiceAccount', 'api').automountServiceAccountToken).toBe(false);
    expect(traefik.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['web', 8000], ['websecure', 8443], ['ping', 8082], ['metrics', 9100]]);
    expect(traefik.readinessProbe.httpGet).toEqual({ path: '/ping', port: 'ping' });
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'dynamic-config', configMap: { name: 'api-dynamic' } },
      { name: 'tls', secret: { secretName: 'api-tls' } },
    ]));
  });

  test('static config: web redirects to the public HTTPS port, ping, Prometheus, JSON access logs, watched file provider', () => {
    const staticConfig = parse(findObject(render().manifests, 'ConfigMap', 'api-static').data['traefik.yaml']);
    // Not `to: websecure`: that redirects to websecure's container port (8443), which the Service does not expose.
    expect(staticConfig.entryPoints.web).toEqual({
      address: ':8000', http: { redirections: { entryPoint: { to: ':443', scheme: 'https', permanent: true } } },
    });
    expect(staticConfig.entryPoints.websecure.address).toBe(':8443');
    expect(staticConfig.metrics.prometheus.entryPoint).toBe('metrics');
    expect(staticConfig.accessLog.format).toBe('json');
    expect(staticConfig.log.format).toBe('json');
    expect(staticConfig.providers.file).toEqual({ directory: '/etc/traefik/dynamic', watch: true });
    expect(staticConfig.tracing).toBeUndefined();
  });

  test('every redirect targets a port the LoadBalancer Service exposes, leading to the TLS entry point', () => {
    const { manifests } = render();
    const staticConfig = parse(findObject(manifests, 'ConfigMap', 'api-static').data['traefik.yaml']);
    expect(redirectProblems(staticConfig, findObject(manifests, 'Service', 'api'), podSpec(manifests).containers[0].ports)).toEqual([]);
  });

  test('OTLP tracing is configured when asked, and the collector port is opened', () => {
    const { manifests } = render({ tracing: { otlpEndpoint: 'http://otel-collector.observability:4318/v1/traces', sampleRate: 0.5 } });
    const staticConfig = parse(findObject(manifests, 'ConfigMap', 'api-static').data['traefik.yaml']);
    expect(staticConfig.tracing).toEqual({ serviceName: 'api', sampleRate: 0.5, otlp: { http: { endpoint: 'http://otel-collector.observability:4318/v1/traces' } } });
    expect(findObject(manifests, 'NetworkPolicy', 'api').spec.egress).toContainEqual({ to: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 4318 }] });
  });

  test('LoadBalancer Service maps 80/443 to 8000/8443 and keeps client addresses; metrics stay in the cluster', () => {
    const { manifests, gateway } = render({ kubernetes: { tls: TlsSource.secret('api-tls'), loadBalancerSourceRanges: ['0.0.0.0/0'] } });
    const service = findObject(manifests, 'Service', 'api');
    expect(service.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['0.0.0.0/0'] });
    expect(service.spec.ports).toEqual([
      { name: 'web', port: 80, targetPort: 'web', protocol: 'TCP' },
      { name: 'websecure', port: 443, targetPort: 'websecure', protocol: 'TCP' },
    ]);
    expect(findObject(manifests, 'Service', 'api-metrics').spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'metrics', port: 9100 }] });
    expect(gateway.endpoint.url).toBe('https://api.example.com:443');
    expect(gateway.metricsSource).toMatchObject({ kind: 'gateway', port: 9100, path: '/metrics', host: 'api-metrics.shop.svc.cluster.local', namespace: 'shop' });
  });

  test('availability: PDB, HPA (2-10 on CPU), zone and node spread, surge without unavailability', () => {
    const { manifests } = render();
    const deployment = findObject(manifests, 'Deployment', 'api');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: '25%' });
    expect(deployment.spec.template.spec.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(findObject(manifests, 'PodDisruptionBudget', 'api').spec.maxUnavailable).toBe(1);
    expect(findObject(manifests, 'HorizontalPodAutoscaler', 'api').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });

  test('network: clients reach web/websecure; the gateway reaches its upstreams, which admit it', () => {
    const { manifests, gateway, users } = render();
    const policy = findObject(manifests, 'NetworkPolicy', 'api');
    expect(policy.spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8000 }, { protocol: 'TCP', port: 8443 }] }]);
    const gatewayPods = { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(gateway) } };
    expect(findObject(manifests, 'NetworkPolicy', 'users').spec.ingress).toEqual([
      { from: [{ podSelector: gatewayPods, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    expect(policy.spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'users', 'app.kubernetes.io/part-of': 'platform', ...ownerLabel(users) } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    // Nothing leaves for the internet until a route or the JWKS needs it.
    expect(JSON.stringify(policy.spec.egress)).not.toContain('0.0.0.0/0');
  });

  test('addRoute after construction reaches the ConfigMap, the upstream policy and the internet egress', () => {
    const chart = kubernetesChart();
    const { gateway } = smallGateway(chart);
    const search = new ServiceCluster(chart, 'Search', { image: 'ghcr.io/acme/search:3.0.0' });
    gateway.addRoute({ name: 'search', pathPrefix: '/v1/search', target: RouteTarget.service(search) });
    gateway.addRoute({ name: 'partner', pathPrefix: '/partner', target: RouteTarget.url('https://partner.example.net:8443') });
    const manifests = manifestsOf(chart);
    const config = dynamicConfig(manifests);
    expect(Object.keys(config.http.routers)).toEqual(['users', 'orders', 'search', 'partner']);
    expect(config.http.services.search.loadBalancer.servers).toEqual([{ url: 'http://search.shop.svc.cluster.local:80' }]);
    expect(findObject(manifests, 'NetworkPolicy', 'search').spec.ingress).toHaveLength(1);
    expect(findObject(manifests, 'NetworkPolicy', 'api').spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } }],
      ports: [{ protocol: 'TCP', port: 8443 }],
    });
    expect(gateway.routeNames).toEqual(['users', 'orders', 'search', 'partner']);
  });

  test('the ConfigMap holds a valid Traefik v3 dynamic configuration serving the mounted certificate', () => {
    const config = dynamicConfig(render({ jwt: JWT, cors: { allowOrigins: ['https://app.example.com'] } }).manifests);
    expect(schemaProblems(config)).toEqual([]);
    expect(referenceProblems(config, ['web', 'websecure'])).toEqual([]);
    expect(config.tls.stores.default.defaultCertificate).toEqual({ certFile: '/etc/traefik/tls/tls.crt', keyFile: '/etc/traefik/tls/tls.key' });
    // No X-Forwarded-For hops on Kubernetes: the Service keeps the client address.
    expect(config.http.middlewares.jwt).toEqual({ forwardAuth: { address: 'http://127.0.0.1:8081/verify', trustForwardHeader: false } });
  });

  test('JWT sidecar: Envoy verifier, restricted, probed without a token, JWKS reachable on 443', () => {
    const { manifests } = render({ jwt: JWT });
    const verifier = podSpec(manifests).containers.find((c: any) => c.name === 'jwt-verifier');
    expect(verifier.image).toBe('envoyproxy/envoy-distroless:v1.31.2');
    expect(verifier.args[0]).toBe('--config-yaml');
    expect(JSON.parse(verifier.args[1]).static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address)
      .toEqual({ address: 'auth.example.com', port_value: 443 });
    expect(verifier.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'jwt-verifier' });
    expect(verifier.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(findObject(manifests, 'NetworkPolicy', 'api').spec.egress).toContainEqual(expect.objectContaining({ ports: [{ protocol: 'TCP', port: 443 }] }));
  });

  test('a forwardAuth verifier replaces the sidecar', () => {
    const { manifests } = render({ jwt: { ...JWT, verifier: JwtVerifier.forwardAuth('http://verifier.auth.svc.cluster.local:8080/check') } });
    expect(podSpec(manifests).containers.map((c: any) => c.name)).toEqual(['traefik']);
    expect(dynamicConfig(manifests).http.middlewares.jwt.forwardAuth.address).toBe('http://verifier.auth.svc.cluster.local:8080/check');
  });

  test('distributed rate limit: the store password comes from its Secret into the Go template, and the store admits the gateway', () => {
    const store = new FakeRedis();
    const { manifests, gateway } = render({ rateLimit: { average: 50, store, storeDatabase: 2 } });
    expect(podSpec(manifests).containers[0].env).toEqual([
      { name: 'RATE_LIMIT_STORE_1_PASSWORD', valueFrom: { secretKeyRef: { name: 'ratelimit-auth', key: 'password' } } },
    ]);
    expect(dynamicConfig(manifests).http.middlewares['rate-limit'].rateLimit.redis).toEqual({
      endpoints: ['ratelimit.platform.internal:6379'],
      password: '{{ env "RATE_LIMIT_STORE_1_PASSWORD" }}',
      db: 2,
      tls: { insecureSkipVerify: false },
      dialTimeout: '2s',
      // Outlasts a planned switchover behind the CacheCluster proxy, which holds new connections meanwhile.
      readTimeout: '5s',
      writeTimeout: '1s',
    });
    expect(store.admitted).toEqual([gateway]);
    expect(manifests.filter(o => o.kind === 'Secret')).toHaveLength(0);
  });

  test('cert-manager: a v1 Certificate for domainName whose Secret the pods mount', () => {
    const { manifests } = render({ kubernetes: { tls: TlsSource.certManager({ issuerName: 'letsencrypt-prod' }) } });
    const certificate = findObject(manifests, 'Certificate', 'api');
    // Strictly against cert-manager's own CRD (the harness checks every object of a stored CRD kind).
    expect(validateCustomResource(certificate)).toEqual([]);
    expect(certificate.spec).toMatchObject({ secretName: 'api-tls', dnsNames: ['api.example.com'], issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' } });
    expect(certificate.spec.privateKey).toMatchObject({ algorithm: expect.stringMatching(/^(RSA|ECDSA|Ed25519)$/), rotationPolicy: 'Always' });
    const misspelt = { ...certificate, spec: { ...certificate.spec, issuerRef: { ...certificate.spec.issuerRef, knd: 'Issuer' } } };
    expect(validateCustomResource(misspelt).map(f => f.message)).toEqual(['spec.issuerRef.knd: unknown field']);
    expect(podSpec(manifests).volumes).toContainEqual({ name: 'tls', secret: { secretName: 'api-tls' } });
  });

  test('conformance: strict schema, Pod Security restricted, reliability (the Certificate against its CRD)', () => {
    const chart = kubernetesChart();
    const { gateway, users } = smallGateway(chart, {
      jwt: JWT,
      cors: { allowOrigins: ['https://app.example.com'] },
      rateLimit: { average: 100, store: new FakeRedis() },
      circuitBreaker: { latencyThreshold: Duration.millis(500) },
      retry: { attempts: 2 },
      kubernetes: { tls: TlsSource.certManager({ issuerName: 'letsencrypt-prod' }) },
    });
    gateway.addRoute({ name: 'health', path: '/healthz', target: RouteTarget.service(users), disable: [GatewayPolicy.JWT] });
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'Certificate', 'api')).toBeDefined();
    const report = expectKubernetesConformance(manifests);
    expect(report.objects).toBe(manifests.length);
  });
});
