import { parse } from 'yaml';
import { countByKind, kubernetesReferencePlatform, peerNames } from './fixtures';
import { canConnect, podOf } from './network-policy';
import { PlatformProfile } from '../../src/platform/profile';
import { checkKubernetesManifests, desiredReplicas, expectKubernetesConformance, formatFindings, labelSelectorMatches, podTemplatesOf } from '../conformance/kubernetes';
import { findObject } from '../util';

const production = kubernetesReferencePlatform();
// Orders deploys through an SLO-gated canary: its pods belong to a Rollout, the others' to a Deployment.
const env = (service: string) => findObject(production.manifests, service === 'orders' ? 'Rollout' : 'Deployment', service).spec.template.spec.containers[0].env as any[];
const ingress = (policy: string) => peerNames(findObject(production.manifests, 'NetworkPolicy', policy).spec.ingress, 'from');
const egress = (policy: string) => peerNames(findObject(production.manifests, 'NetworkPolicy', policy).spec.egress, 'to');

describe('reference platform on Kubernetes', () => {
  test.each([PlatformProfile.PRODUCTION, PlatformProfile.DEVELOPMENT])('%s profile: strict schema (custom resources against their CRDs), Pod Security restricted, reliability', profile => {
    const { manifests, printed } = profile === PlatformProfile.PRODUCTION ? production : kubernetesReferencePlatform(profile);
    // Each reduced topology is announced once, in the CDK's warning format.
    expect(printed.map(p => p.replace(/^\[Warning at \/shop\/Shop\/(\w+)\] ([\w.]+) is 1,.*$/, '$1 $2'))).toEqual(profile === PlatformProfile.PRODUCTION ? [] : [
      'Observability kubernetes.prometheusReplicas', 'Observability kubernetes.alertmanagerReplicas', 'Observability kubernetes.logStoreReplicas', 'Cache kubernetes.sentinels',
      'Cache kubernetes.proxyReplicas', 'Database membersPerShard', 'Database configServers', 'Database routers', 'Api minReplicas',
    ]);
    // Every custom resource with a stored CRD is checked against it; KEDA's have none (the message-queue tests check them).
    const report = checkKubernetesManifests(manifests);
    expect(report.findings.map(f => `${f.rule} ${f.object}`).sort()).toEqual([
      'Schema-UnknownKind keda.sh/v1alpha1/ScaledObject shop/fulfilment', 'Schema-UnknownKind keda.sh/v1alpha1/TriggerAuthentication shop/fulfilment',
    ]);
    const strict = expectKubernetesConformance(manifests, { skipRules: ['Schema-UnknownKind'] });
    expect(formatFindings(strict.findings)).toBe('');
    // No reliability rule is skipped in development: the PDB and spread rules apply to workloads that run
    // more than one replica, and every workload that still does keeps its PDB and spread.
    const single = manifests.filter(o => ['Deployment', 'StatefulSet'].includes(o.kind) && desiredReplicas(o, manifests) === 1).map(o => o.metadata.name).sort();
    console.info(`reference platform on Kubernetes (${profile}): ${report.objects} objects (${countByKind(manifests.map(o => o.kind))}); ` +
      `findings: schema ${report.byValidator.schema} (KEDA's kinds, with no stored CRD), pod security ${report.byValidator.podSecurity}, reliability ${report.byValidator.reliability}; ` +
      `single-replica workloads: ${single.join(', ') || 'none'}`);
    if (profile === PlatformProfile.PRODUCTION) {
      // The cache's snapshot store holds one ReadWriteOnce claim: a second replica could not mount it.
      expect(single).toEqual(['grafana', 'jaeger', 'shop-cache-backups']);
    } else {
      expect(single).toEqual(expect.arrayContaining(['api', 'prometheus', 'alertmanager', 'shop-cache-sentinel', 'shop-cache-proxy', 'shop-db-configsvr', 'shop-db-shard-0', 'shop-db-mongos']));
    }
  });

  test('services get the cache and Mongo endpoints as values and their credentials as Secret references only', () => {
    for (const service of ['users', 'products']) {
      expect(env(service)).toEqual(expect.arrayContaining([
        { name: 'REDIS_HOST', value: 'shop-cache.shop.svc.cluster.local' },
        { name: 'REDIS_PORT', value: '6379' },
        { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-cache-auth', key: 'password' } } },
        // Each service its own user (readWrite on its database only), never the administrator.
        { name: 'MONGODB_USERNAME', value: service },
        { name: 'MONGODB_PASSWORD', valueFrom: { secretKeyRef: { name: `shop-db-user-${service}`, key: 'password' } } },
        { name: 'MONGODB_TLS_CA_FILE', value: '/etc/mongodb/shop-db/ca.crt' },
      ]));
    }
    expect(env('users')).toContainEqual({ name: 'MONGODB_URI', value: 'mongodb://shop-db.shop.svc.cluster.local:27017/users?authSource=admin&w=majority&tls=true' });
    expect(env('products')).toContainEqual({ name: 'MONGODB_DATABASE', value: 'catalog' });
    expect(env('orders')).toEqual(expect.arrayContaining([
      { name: 'MONGODB_DATABASE', value: 'orders' },
      { name: 'PRODUCTS_URL', value: 'http://products.shop.svc.cluster.local:80' },
    ]));
    // Only what each service declared.
    expect(env('orders').map(e => e.name)).not.toContain('REDIS_HOST');
    expect(env('realtime').map(e => e.name).filter(n => n.startsWith('MONGODB_'))).toEqual([]);
    // The organisation subclass's defaults and hook apply to every service.
    expect(env('realtime')).toEqual(expect.arrayContaining([{ name: 'ACME_TEAM', value: 'engagement' }, { name: 'OTEL_SERVICE_NAME', value: 'realtime' }]));
    expect(findObject(production.manifests, 'Deployment', 'users').metadata.annotations).toEqual({ 'acme.example/cost-report': 'enabled' });
    // No credential is a value anywhere.
    const credentials = production.manifests.flatMap(o => o.spec?.template?.spec?.containers ?? []).flatMap((c: any) => c.env ?? [])
      .filter((e: any) => /PASSWORD|SECRET|TOKEN/.test(e.name));
    expect(credentials.length).toBeGreaterThan(8);
    expect(credentials.filter((e: any) => e.value !== undefined)).toEqual([]);
    expect(production.manifests.filter(o => o.kind === 'Secret')).toEqual([]);
  });

  test('every object belongs to one construct (owner label), but the platform\'s own namespace, default deny and DNS policy', () => {
    const unowned = production.manifests.filter(o => !o.metadata.labels?.['cdk-portable-platform.io/owner']).map(o => `${o.kind}/${o.metadata.name}`);
    expect(unowned).toEqual(['Namespace/shop', 'NetworkPolicy/default-deny-all', 'NetworkPolicy/allow-dns-egress']);
  });

  test('network access exists only where declared', () => {
    // Who may connect to each service: the gateway routes to it, Prometheus scrapes it, orders calls products.
    expect(ingress('users')).toEqual(['api', 'prometheus']);
    expect(ingress('products')).toEqual(['api', 'orders', 'prometheus']);
    expect(ingress('orders')).toEqual(['api', 'prometheus']);
    // The Argo Rollouts controller queries Prometheus for the orders canary's analysis.
    expect(ingress('prometheus')).toContain('argo-rollouts');
    // The cache admits the gateway's rate limiter and the three services that use it; orders does not.
    for (const policy of ['shop-cache', 'shop-cache-proxy', 'shop-cache-sentinel']) {
      expect(ingress(policy)).toEqual(expect.arrayContaining(['api', 'products', 'realtime', 'users']));
      expect(ingress(policy)).not.toContain('orders');
    }
    // Prometheus reaches the exporters alone: no data port, no Sentinel port, no proxy.
    expect(ingress('shop-cache-proxy')).not.toContain('prometheus');
    expect(ingress('shop-cache-sentinel')).not.toContain('prometheus');
    const scrape = findObject(production.manifests, 'NetworkPolicy', 'shop-cache').spec.ingress
      .filter((r: any) => r.from.some((p: any) => p.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus'));
    expect(scrape.map((r: any) => r.ports.map((p: any) => p.port))).toEqual([[9121]]);
    // Mongo's routers admit the three services connected to it, not realtime nor the gateway.
    expect(ingress('shop-db-routers').filter(n => !n.startsWith('{'))).toEqual(['orders', 'products', 'prometheus', 'users']);
    // Each side's egress matches: realtime cannot reach Mongo, orders cannot reach the cache, users cannot call products.
    expect(egress('realtime')).toEqual(['otel-collector', 'shop-cache', 'shop-cache-proxy', 'shop-cache-sentinel']);
    expect(egress('orders')).toEqual(['order-events', 'otel-collector', 'products', 'shop-db-mongos']);
    // The queue admits its publisher, its worker, KEDA (the queue depth) and Prometheus (metrics only).
    expect(ingress('order-events').filter(n => !n.startsWith('{'))).toEqual(['fulfilment', 'order-events', 'orders', 'prometheus']);
    expect(ingress('order-events').filter(n => n.startsWith('{'))).toEqual([expect.stringContaining('keda-operator')]);
    expect(egress('fulfilment')).toEqual(['order-events']);
    expect(egress('users')).toEqual(['otel-collector', 'shop-cache', 'shop-cache-proxy', 'shop-cache-sentinel', 'shop-db-mongos']);
    expect(egress('api')).toEqual(['ipBlock 0.0.0.0/0', 'orders', 'otel-collector', 'products', 'realtime', 'shop-cache', 'shop-cache-proxy', 'shop-cache-sentinel', 'users']);
    // The gateway's internet egress (the JWKS) excludes private ranges: it cannot reach the cluster that way.
    const internet = findObject(production.manifests, 'NetworkPolicy', 'api').spec.egress.find((r: any) => r.to[0].ipBlock);
    expect(internet).toMatchObject({ ports: [{ port: 443 }], to: [{ ipBlock: { except: expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']) } }] });
    // No policy admits every pod.
    const policies = production.manifests.filter(o => o.kind === 'NetworkPolicy');
    const everyPod = policies.flatMap(p => [...p.spec.ingress ?? [], ...p.spec.egress ?? []])
      .flatMap((r: any) => [...r.from ?? [], ...r.to ?? []])
      .filter((peer: any) => peer.namespaceSelector && Object.keys(peer.namespaceSelector).length === 0 && !peer.podSelector);
    expect(everyPod).toEqual([]);
  });

  test('under the NetworkPolicies, connections succeed where declared and nowhere else', () => {
    const { manifests } = production;
    const can = (from: string, to: string, port: number) => canConnect(manifests, podOf(manifests, from), podOf(manifests, to), port);
    const clients = ['api', 'users', 'products', 'orders', 'realtime'];
    expect(clients.filter(c => can(c, 'users', 8080))).toEqual(['api']);
    expect(clients.filter(c => can(c, 'products', 8080))).toEqual(['api', 'orders']);
    expect(clients.filter(c => can(c, 'orders', 8080))).toEqual(['api']);
    expect(clients.filter(c => can(c, 'realtime', 8080))).toEqual(['api']);
    // The cache's stable endpoint (the proxy), and Sentinel for Sentinel-aware clients.
    expect(clients.filter(c => can(c, 'shop-cache-proxy', 6379))).toEqual(['api', 'users', 'products', 'realtime']);
    expect(clients.filter(c => can(c, 'shop-cache-sentinel', 26379))).toEqual(['api', 'users', 'products', 'realtime']);
    expect(clients.filter(c => can(c, 'shop-db-mongos', 27017))).toEqual(['users', 'products', 'orders']);
    expect([...clients, 'fulfilment', 'prometheus'].filter(c => can(c, 'order-events', 5671))).toEqual(['orders', 'fulfilment']);
    expect(can('prometheus', 'order-events', 15692)).toBe(true);
    // Data stores never reach the services, and nothing reaches the shard members but the cluster itself.
    expect(clients.filter(c => can(c, 'shop-db-shard-0', 27017))).toEqual([]);
    expect(can('shop-db-mongos', 'shop-db-shard-0', 27017)).toBe(true);
    expect(['shop-cache', 'shop-db-mongos'].filter(d => can(d, 'users', 8080))).toEqual([]);
  });

  /** Every (workload, port) the observability stack scrapes, with whether Prometheus may connect to it. */
  function scrapeReachability() {
    const { manifests, platform } = production;
    const prometheus = podOf(manifests, 'prometheus');
    return platform.observability.watchedMetricsSources().flatMap(source => podTemplatesOf(manifests)
      .filter(pod => ['Deployment', 'StatefulSet', 'Rollout'].includes(pod.owner.kind) && labelSelectorMatches({ matchLabels: source.selector }, pod.labels))
      .map(pod => ({ target: `${pod.owner.metadata.name}:${source.port}`, reachable: canConnect(manifests, prometheus, pod, source.port), job: source.job })));
  }

  test('Prometheus reaches every metrics port of the services and the cache', () => {
    const targets = scrapeReachability();
    expect(targets.map(t => t.target).sort()).toEqual(['api:9100', 'order-events:15692', 'orders:9090', 'products:9090', 'realtime:9090', 'shop-cache:9121',
      'shop-db-configsvr:9216', 'shop-db-mongos:9216', 'shop-db-shard-0:9216', 'shop-db-shard-1:9216', 'shop-db-shard-2:9216', 'users:9090']);
    expect(targets.filter(t => !['api', 'shop-db'].includes(t.job) && !t.reachable)).toEqual([]);
  });

  // Known defect, reported: Gateway has no allowFrom, so the observability stack only opens Prometheus'
  // egress to Traefik's metrics port (9100), and the gateway's NetworkPolicy admits 8000/8443 only.
  test('Prometheus reaches the gateway\'s metrics port', () => {
    expect(scrapeReachability().filter(t => t.job === 'api' && !t.reachable)).toEqual([]);
  });

  // Known defect, reported: the observability stack calls MongoShardedCluster.allowFrom (the routers' 27017)
  // where allowMetricsFrom (the exporters' 9216) is meant, so Prometheus may open the database port but no exporter.
  test('Prometheus reaches Mongo\'s exporters, and not its database port', () => {
    expect(scrapeReachability().filter(t => t.job === 'shop-db' && !t.reachable)).toEqual([]);
    const { manifests } = production;
    expect(canConnect(manifests, podOf(manifests, 'prometheus'), podOf(manifests, 'shop-db-mongos'), 27017)).toBe(false);
  });

  test('the observability stack discovered every construct with metrics, without extra code', () => {
    const { platform, chart, manifests } = production;
    const withMetrics = chart.node.findAll().filter(c => (c as any).metricsSource).map(c => (c as any).metricsSource.job).sort();
    expect(withMetrics).toEqual(['api', 'order-events', 'orders', 'products', 'realtime', 'shop-cache', 'shop-db', 'users']);
    expect(platform.observability.watchedMetricsSources().map(s => s.job).sort()).toEqual(withMetrics);
    const prometheus = parse(findObject(manifests, 'ConfigMap', 'prometheus').data['prometheus.yml']);
    const jobs = prometheus.scrape_configs.map((s: any) => s.job_name);
    expect(jobs).toEqual(expect.arrayContaining(withMetrics));
    // One headless Service per source lets Prometheus find every replica by DNS.
    for (const job of withMetrics) {
      expect(manifests.filter(o => o.kind === 'Service' && o.metadata.name === `${job}-scrape` && o.spec.clusterIP === 'None')).not.toHaveLength(0);
    }
    // One provisioned Grafana dashboard per construct, however the stack spreads them over ConfigMaps.
    const dashboards = manifests.filter(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboards')).flatMap(o => Object.keys(o.data));
    // …and the log search, over the in-cluster Loki.
    expect(dashboards.sort()).toEqual(['_platform-logs.json', ...withMetrics.map(j => `${j}.json`)]);
  });

  // Known defect, reported: the observability stack names its discovery Service `<job>-metrics`, which the
  // Gateway (a ClusterIP Service) and MongoShardedCluster (its own headless Service) already use. `kubectl
  // apply` then fails on Service/api-metrics (clusterIP cannot change to None). Flip to `test` once fixed.
  test('every object is defined once (kind, namespace, name)', () => {
    const ids = production.manifests.map(o => `${o.apiVersion}/${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  // Known defect, reported: with one Sentinel (development) the Sentinel PDB's maxUnavailable is
  // sentinels - quorum = 0, which blocks every drain of that node (kube-linter's pdb-max-unavailable).
  test('development profile: no PodDisruptionBudget forbids every eviction', () => {
    const { manifests } = kubernetesReferencePlatform(PlatformProfile.DEVELOPMENT);
    const blocking = manifests.filter(o => o.kind === 'PodDisruptionBudget' && o.spec.maxUnavailable === 0).map(o => o.metadata.name);
    expect(blocking).toEqual([]);
  });

  test('the gateway routes the four paths, with JWT, CORS and a rate limit shared through the cache', () => {
    const config = production.platform.gateway.traefikDynamicConfig();
    expect(production.platform.gateway.routeNames).toEqual(['users', 'products', 'orders', 'realtime']);
    expect(config.http.routers.realtime.rule).toContain('PathPrefix(`/ws/`)');
    const middlewares = Object.values<any>(config.http.middlewares).flatMap(m => Object.keys(m));
    expect(middlewares).toEqual(expect.arrayContaining(['forwardAuth', 'headers', 'rateLimit']));
    const rateLimit = Object.values<any>(config.http.middlewares).find(m => m.rateLimit).rateLimit;
    expect(rateLimit.redis.endpoints).toEqual(['shop-cache.shop.svc.cluster.local:6379']);
  });
});
