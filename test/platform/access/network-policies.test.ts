import { canConnect, networkPolicyPaths } from '../../../src/platform/access/network-policies';

const deployment = (name: string, labels: Record<string, string>, ports: Array<{ name?: string; containerPort: number }> = [], namespace = 'shop') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app', ports }] } } },
});
const policy = (name: string, podSelector: any, spec: any, namespace = 'shop') => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector, ...spec },
});
const DENY_ALL = policy('default-deny-all', {}, { policyTypes: ['Ingress', 'Egress'] });
const api = deployment('api', { app: 'api' }, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }]);
const web = deployment('web', { app: 'web' });
const admitWeb = policy('api', { matchLabels: { app: 'api' } }, { policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }] });
const webEgress = (ports: any[]) => policy('web', { matchLabels: { app: 'web' } }, { policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports }] });

describe('NetworkPolicy evaluation', () => {
  test('a namespace without policies isolates nobody: every declared port is reachable', () => {
    expect(canConnect([api, web], 'web', 'api', 9090)).toBe(true);
  });

  test('under a default deny a path needs the destination\'s ingress AND the source\'s egress', () => {
    expect(canConnect([api, web, DENY_ALL, admitWeb], 'web', 'api', 8080)).toBe(false);
    expect(canConnect([api, web, DENY_ALL, webEgress([{ port: 8080 }])], 'web', 'api', 8080)).toBe(false);
    const manifests = [api, web, DENY_ALL, admitWeb, webEgress([{ port: 8080 }])];
    expect(canConnect(manifests, 'web', 'api', 8080)).toBe(true);
    // The named port `http` is 8080 alone: the metrics port stays closed.
    expect(canConnect(manifests, 'web', 'api', 9090)).toBe(false);
    expect(networkPolicyPaths(manifests).map(p => `${p.from?.id} ${p.to.id} ${p.port} ${p.rules.join(' + ')}`)).toEqual([
      'Deployment/web Deployment/api 8080 NetworkPolicy shop/api ingress[0] + NetworkPolicy shop/web egress[0]',
    ]);
  });

  test('an egress rule without ports allows the ingress rule\'s ports; a port range is intersected', () => {
    expect(canConnect([api, web, DENY_ALL, admitWeb, webEgress([])], 'web', 'api', 8080)).toBe(true);
    const ranged = [api, web, DENY_ALL, admitWeb, webEgress([{ port: 8000, endPort: 8100 }])];
    expect(networkPolicyPaths(ranged).map(p => [p.port, p.endPort])).toEqual([[8080, 8080]]);
  });

  test('a peer without a namespace selector is the policy\'s namespace; with one, the namespaces it selects', () => {
    const other = deployment('web', { app: 'web' }, [], 'other');
    const sameNamespace = [api, other, DENY_ALL, admitWeb];
    expect(networkPolicyPaths(sameNamespace).filter(p => p.from && p.to.id === 'Deployment/api')).toEqual([]);
    const anyNamespace = policy('api', { matchLabels: { app: 'api' } }, {
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    // `other` has no policy: its pods are not isolated for egress.
    expect(networkPolicyPaths([api, other, DENY_ALL, anyNamespace]).filter(p => p.from && p.to.id === 'Deployment/api').map(p => `${p.from!.namespace}/${p.from!.id} ${p.port} ${p.rules[1]}`))
      .toEqual(['other/Deployment/web 8080 no NetworkPolicy isolates other/Deployment/web for egress', 'other/Deployment/web 9090 no NetworkPolicy isolates other/Deployment/web for egress']);
  });

  test('ipBlocks and rules naming no peer are outside sources; egress ipBlocks never reach pods', () => {
    const open = policy('api', { matchLabels: { app: 'api' } }, { policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8080 }] }, { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 9090 }] }] });
    const internet = policy('web', { matchLabels: { app: 'web' } }, { policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    const paths = networkPolicyPaths([api, web, DENY_ALL, open, internet]);
    expect(paths.map(p => `${p.from?.id ?? p.fromPeer} ${p.port}`)).toEqual(['ipBlock 0.0.0.0/0 (any source) 8080', 'ipBlock 10.0.0.0/8 except 10.1.0.0/16 9090']);
  });

  test('matchExpressions select as the API server does', () => {
    const byExpression = policy('api', { matchLabels: { app: 'api' } }, {
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'cli'] }, { key: 'tier', operator: 'DoesNotExist' }] } }] }],
    });
    expect(canConnect([api, web, byExpression], 'web', 'api', 8080)).toBe(true);
    const tiered = deployment('web', { app: 'web', tier: 'edge' });
    expect(canConnect([api, tiered, byExpression], 'web', 'api', 8080)).toBe(false);
  });
});
