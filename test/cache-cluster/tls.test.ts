import { parse } from 'yaml';
import { CacheCluster, CacheClusterMode, CacheClusterProps } from '../../src/cache-cluster';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { FakeRedis, smallGateway } from '../gateway/fixtures';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

function render(props: CacheClusterProps = {}) {
  const chart = kubernetesChart();
  const cache = new CacheCluster(chart, 'Sessions', props);
  return { chart, cache, manifests: manifestsOf(chart) };
}
const pod = (manifests: any[], kind: string, name: string) => findObject(manifests, kind, name).spec.template.spec;
const containerOf = (manifests: any[], kind: string, name: string, container: string) =>
  pod(manifests, kind, name).containers.find((c: any) => c.name === container);
const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const TLS_VOLUME = (keys: string[]) => ({ name: 'tls', secret: { secretName: 'sessions-tls', items: keys.map(key => ({ key, path: key })), defaultMode: 0o440 } });

describe('CacheCluster TLS on Kubernetes', () => {
  test('on by default: TLS-only ports, TLS replication and Sentinels, the Secret mounted where it is needed', () => {
    const { manifests, cache } = render();
    expect(cache.redisTls).toBe(true);
    const config = findObject(manifests, 'ConfigMap', 'sessions-config').data;
    expect(config['redis.conf']).toContain('port 0\ntls-port 6379\ntls-cert-file /etc/cache-tls/tls.crt\ntls-key-file /etc/cache-tls/tls.key\n' +
      'tls-ca-cert-file /etc/cache-tls/ca.crt\ntls-auth-clients no\ntls-replication yes\n');
    expect(config['redis.conf']).not.toMatch(/^port 6379$/m);
    expect(config['sentinel.conf']).toContain('port 0\ntls-port 26379\n');
    expect(config['haproxy.cfg']).toContain('tcp-check connect ssl');
    expect(config['haproxy.cfg']).toMatch(/default-server .* verify required ca-file \/etc\/cache-tls\/ca.crt/);
    // Passthrough: the proxy neither terminates nor originates client TLS.
    expect(config['haproxy.cfg']).not.toMatch(/bind .* ssl|server .* ssl /);

    expect(pod(manifests, 'StatefulSet', 'sessions').volumes).toContainEqual(TLS_VOLUME(['ca.crt', 'tls.crt', 'tls.key']));
    expect(pod(manifests, 'StatefulSet', 'sessions-sentinel').volumes).toContainEqual(TLS_VOLUME(['ca.crt', 'tls.crt', 'tls.key']));
    // The proxy only verifies: the CA, never the private key.
    expect(pod(manifests, 'Deployment', 'sessions-proxy').volumes).toContainEqual(TLS_VOLUME(['ca.crt']));

    const redis = containerOf(manifests, 'StatefulSet', 'sessions', 'redis');
    expect(envOf(redis).TLS_CA_FILE).toBe('/etc/cache-tls/ca.crt');
    expect(redis.readinessProbe.exec.command[2]).toBe("redis-cli --no-auth-warning --tls --cacert /etc/cache-tls/ca.crt -p 6379 ping | grep -Eq 'PONG'");
    const exporter = envOf(containerOf(manifests, 'StatefulSet', 'sessions', 'exporter'));
    expect(exporter.REDIS_ADDR).toBe('rediss://$(POD_NAME).sessions-nodes.shop.svc.cluster.local:6379');
    expect(exporter.REDIS_EXPORTER_TLS_CA_CERT_FILE).toBe('/etc/cache-tls/ca.crt');
    expectKubernetesConformance(manifests);
  });

  test('the Secret name and the DNS names its certificate must carry, for a certificate provisioner', () => {
    const { cache } = render();
    expect(cache.kubernetes!.tlsSecretName).toBe('sessions-tls');
    expect(cache.kubernetes!.tlsDnsNames).toEqual([
      'sessions.shop.svc.cluster.local', 'sessions.shop.svc', 'sessions.shop', 'sessions',
      'sessions-nodes.shop.svc.cluster.local', '*.sessions-nodes.shop.svc.cluster.local',
      'sessions-sentinel.shop.svc.cluster.local', '*.sessions-sentinel.shop.svc.cluster.local',
    ]);
    expect(render({ kubernetes: { tlsSecretName: 'cache-cert' } }).cache.kubernetes!.tlsSecretName).toBe('cache-cert');
  });

  test('cluster mode: the cluster bus and the setup Job use TLS too', () => {
    const { manifests } = render({ mode: CacheClusterMode.CLUSTER });
    expect(findObject(manifests, 'ConfigMap', 'sessions-config').data['redis.conf']).toContain('tls-cluster yes');
    const job = manifests.find(o => o.kind === 'Job');
    expect(envOf(job.spec.template.spec.containers[0]).TLS_CA_FILE).toBe('/etc/cache-tls/ca.crt');
    expect(job.spec.template.spec.volumes).toContainEqual(TLS_VOLUME(['ca.crt']));
    expectKubernetesConformance(manifests);
  });

  test('connect hands the client the CA as a file', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'Sessions');
    const cart = new ServiceCluster(chart, 'Cart', { image: 'ghcr.io/acme/cart:2.3.0' });
    cache.connect(cart);
    const manifests = manifestsOf(chart);
    const container = pod(manifests, 'Deployment', 'cart').containers[0];
    expect(envOf(container)).toMatchObject({ SESSIONS_TLS: 'true', SESSIONS_TLS_CA_FILE: '/etc/cache-tls/sessions/ca.crt' });
    expect(container.volumeMounts).toContainEqual({ name: 'sessions-tls-ca-crt', mountPath: '/etc/cache-tls/sessions', readOnly: true });
    expect(pod(manifests, 'Deployment', 'cart').volumes).toContainEqual(
      { name: 'sessions-tls-ca-crt', secret: { secretName: 'sessions-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } });
    expectKubernetesConformance(manifests);
  });

  test('the gateway\'s rate-limit store verifies the cache with its CA', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'Sessions');
    smallGateway(chart, { rateLimit: { average: 50, store: cache } });
    const manifests = manifestsOf(chart);
    const redis = parse(findObject(manifests, 'ConfigMap', 'api-dynamic').data['dynamic.yaml']).http.middlewares['rate-limit'].rateLimit.redis;
    expect(redis.tls).toEqual({ insecureSkipVerify: false, ca: '/etc/gateway-redis-ca/1/ca.crt' });
    expect(pod(manifests, 'Deployment', 'api').containers[0].volumeMounts).toContainEqual({ name: 'rate-limit-store-ca-1', mountPath: '/etc/gateway-redis-ca/1', readOnly: true });
    expect(pod(manifests, 'Deployment', 'api').volumes).toContainEqual(
      { name: 'rate-limit-store-ca-1', secret: { secretName: 'sessions-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } });
    expectKubernetesConformance(manifests);
  });

  test('on AWS a rate-limit store with a private CA is refused: ECS cannot mount it as a file', () => {
    const store = Object.assign(new FakeRedis(), { redisTlsCa: PlatformSecret.named('ratelimit-tls', 'ca.crt') });
    expect(() => smallGateway(awsStack(), { rateLimit: { average: 50, store } })).toThrow(
      'Platform/Api: rateLimit.store has a private TLS CA (redisTlsCa), which is not supported on aws: ' +
      'ECS passes secrets as environment variables, not files; use a store whose certificate is publicly trusted (ElastiCache)');
  });

  test('kubernetes.tls: false, and the development profile, keep plain text', () => {
    const { manifests, cache } = render({ kubernetes: { tls: false } });
    expect(cache.redisTls).toBe(false);
    expect(cache.redisTlsCa).toBeUndefined();
    expect(cache.kubernetes!.tlsDnsNames).toEqual([]);
    expect(findObject(manifests, 'ConfigMap', 'sessions-config').data['redis.conf']).toMatch(/^port 6379$/m);
    expect(pod(manifests, 'StatefulSet', 'sessions').volumes.map((v: any) => v.name)).not.toContain('tls');
    const dev = kubernetesChart();
    dev.node.setContext(PlatformProfile.CONTEXT_KEY, 'development');
    expect(new CacheCluster(dev, 'Sessions').redisTls).toBe(false);
  });

  test.each([
    [{ tls: false, tlsSecretName: 'sessions-tls' }, 'platform/Sessions: kubernetes.tlsSecretName is only used with TLS (got "sessions-tls"): remove it, or set kubernetes.tls to true'],
    [{ tlsSecretName: 'Sessions_TLS' }, 'platform/Sessions: kubernetes.tlsSecretName is not a Secret name (got "Sessions_TLS"): use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (at most 253)'],
  ])('kubernetes %j is refused', (kubernetes, message) => {
    expect(() => render({ kubernetes })).toThrow(message);
  });
});
