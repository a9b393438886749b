import { checkDuplicateObjects, checkSelectorIsolation, expectIsolatedConstructs, OWNER_LABEL } from './index';

const managed = { 'app.kubernetes.io/managed-by': 'cdk-portable-platform', 'app.kubernetes.io/part-of': 'platform' };

/** A Deployment of `owner` whose pods are labelled `name`. */
function workload(name: string, owner: string): any {
  const labels = { ...managed, 'app.kubernetes.io/name': name, [OWNER_LABEL]: owner };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [] } } },
  };
}

function policy(name: string, owner: string, matchLabels: Record<string, string>, matchExpressions?: any[]): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop', labels: { ...managed, [OWNER_LABEL]: owner } },
    spec: { podSelector: { matchLabels, matchExpressions }, policyTypes: ['Ingress'] },
  };
}

describe('Isolation-SelectorCrossesConstructs', () => {
  test('a policy that selects, by name, the pods of another construct', () => {
    // Mongo cluster "db" selects its Jobs by name; a service named db-backup has that name.
    const manifests = [
      workload('db-backup', 'service-owner'),
      policy('db-jobs', 'mongo-owner', { 'app.kubernetes.io/part-of': 'platform' },
        [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['db-init', 'db-backup'] }]),
    ];
    expect(checkSelectorIsolation(manifests)).toEqual([
      {
        rule: 'Isolation-SelectorOwner',
        object: 'networking.k8s.io/v1/NetworkPolicy shop/db-jobs',
        path: 'spec.podSelector',
        message: `spec.podSelector does not require ${OWNER_LABEL}=mongo-owner: pods of another construct with the same labels would be selected`,
      },
      {
        rule: 'Isolation-SelectorCrossesConstructs',
        object: 'networking.k8s.io/v1/NetworkPolicy shop/db-jobs',
        path: 'spec.podSelector',
        message: 'spec.podSelector selects the pods of apps/v1/Deployment shop/db-backup, which belong to another construct (owner service-owner, not mongo-owner)',
      },
    ]);
  });

  test('a Service and a PodDisruptionBudget are checked too; selecting by the owner label passes', () => {
    const a = workload('api', 'a');
    const service = (owner: string, selector: Record<string, string>) => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop', labels: { ...managed, [OWNER_LABEL]: owner } }, spec: { selector },
    });
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'shop', labels: { [OWNER_LABEL]: 'b' } }, spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } } };
    expect(checkSelectorIsolation([a, service('b', { 'app.kubernetes.io/name': 'api' }), pdb]).map(f => `${f.rule} ${f.object}`)).toEqual([
      'Isolation-SelectorOwner v1/Service shop/api',
      'Isolation-SelectorCrossesConstructs v1/Service shop/api',
      'Isolation-SelectorCrossesConstructs policy/v1/PodDisruptionBudget shop/api',
    ]);
    expect(checkSelectorIsolation([a, service('a', { 'app.kubernetes.io/name': 'api', [OWNER_LABEL]: 'a' })])).toEqual([]);
  });

  test('namespace-wide and platform-wide policies, and other namespaces, are exempt', () => {
    const deny = policy('default-deny-all', 'platform', {});
    const platformDeny = policy('default-deny-platform', 'platform', { 'app.kubernetes.io/part-of': 'platform', 'app.kubernetes.io/managed-by': 'cdk-portable-platform' });
    const elsewhere = { ...policy('api', 'b', { 'app.kubernetes.io/name': 'api', [OWNER_LABEL]: 'b' }) };
    elsewhere.metadata = { ...elsewhere.metadata, namespace: 'other' };
    expect(checkSelectorIsolation([workload('api', 'a'), deny, platformDeny, elsewhere])).toEqual([]);
  });
});

describe('expectIsolatedConstructs, run on every manifest the Kubernetes tests synthesize', () => {
  test('throws one line per duplicate object or crossing selector', () => {
    const manifests = [workload('api', 'a'), workload('api', 'b')];
    expect(checkDuplicateObjects(manifests)).toHaveLength(1);
    expect(() => expectIsolatedConstructs(manifests)).toThrow([
      '1 isolation finding(s):',
      '[Reliability-DuplicateObject] apps/v1/Deployment shop/api: is defined more than once: kubectl apply would fail or keep only one',
    ].join('\n'));
  });
});
