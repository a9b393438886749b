import {
  DIGEST, NAMESPACE, apiNetworkPolicy, defaultDenyNetworkPolicy, deployment, goodManifests, horizontalPodAutoscaler, podTemplate, service,
} from './fixtures';
import { checkReliability, desiredReplicas, imageProblem, isDefaultDeny, reliabilityRules } from './reliability';
import { checkBlockingDisruptionBudgets, checkClusterScopedNamespaces, checkDuplicateObjects, checkJobLifetimes } from './reliability-manifest';

const CONTAINER = 'spec.template.spec.containers[0]';
const ID = 'apps/v1/Deployment platform/api';

/** Messages of one rule's findings over a manifest list. */
const messages = (rule: string, manifests: any[]): string[] => checkReliability(manifests).filter((f) => f.rule === rule).map((f) => f.message);
/** The good set after `edit` mutates it (by index: 0 Deployment, 1 Service, 2 PDB, 3 HPA, 4 NetworkPolicy, 5 default-deny). */
function edited(edit: (m: any[]) => void): any[] {
  const manifests = goodManifests();
  edit(manifests);
  return manifests;
}
const without = (...indexes: number[]) => goodManifests().filter((_, i) => !indexes.includes(i));
const job = (kind: 'Job' | 'CronJob') => {
  const template = podTemplate();
  template.spec.restartPolicy = 'Never';
  const spec = kind === 'Job' ? { template } : { schedule: '0 3 * * *', jobTemplate: { spec: { template } } };
  return { apiVersion: 'batch/v1', kind, metadata: { name: 'nightly', namespace: NAMESPACE }, spec };
};

test('the hardened fixture has no reliability findings', () => {
  expect(checkReliability(goodManifests())).toEqual([]);
  expect(new Set(reliabilityRules.map((r) => r.id)).size).toBe(reliabilityRules.length);
});

describe('Reliability-Probes', () => {
  test('long-running containers need readiness and liveness probes', () => {
    const found = checkReliability(edited((m) => { delete m[0].spec.template.spec.containers[0].readinessProbe; }))
      .filter((f) => f.rule === 'Reliability-Probes');
    expect(found).toEqual([{ rule: 'Reliability-Probes', object: ID, path: `${CONTAINER}.readinessProbe`, message: `${CONTAINER}.readinessProbe: container "api" has no readinessProbe` }]);
  });

  test('DaemonSets need probes; Jobs and CronJobs are exempt; init containers are exempt', () => {
    const ds = { ...deployment(), kind: 'DaemonSet' };
    delete ds.spec.template.spec.containers[0].livenessProbe;
    expect(messages('Reliability-Probes', [ds])).toEqual([`${CONTAINER}.livenessProbe: container "api" has no livenessProbe`]);
    const batch = [job('Job'), job('CronJob')];
    delete (batch[0].spec as any).template.spec.containers[0].livenessProbe;
    delete (batch[1].spec as any).jobTemplate.spec.template.spec.containers[0].readinessProbe;
    expect(messages('Reliability-Probes', batch)).toEqual([]);
  });
});

describe('Reliability-Resources', () => {
  test('every container, init containers included, requests cpu+memory and limits memory', () => {
    expect(messages('Reliability-Resources', edited((m) => {
      delete m[0].spec.template.spec.initContainers[0].resources.limits;
      m[0].spec.template.spec.containers[0].resources = { limits: { cpu: '1' } };
    }))).toEqual([
      `${CONTAINER}.resources: container "api" is missing requests.cpu, requests.memory, limits.memory`,
      'spec.template.spec.initContainers[0].resources: container "migrate" is missing limits.memory',
    ]);
  });
});

describe('Reliability-ImagePinned', () => {
  test.each([
    ['nginx', /"nginx" has no tag \(implicitly :latest\)/],
    ['nginx:latest', /"nginx:latest" uses the mutable :latest tag/],
    ['registry.local:5000/team/app', /has no tag/], // the port is not a tag
    ['app@sha256:abc', /has a malformed digest/],
    ['', /has no image/],
  ])('%j is rejected', (image, message) => {
    const found = messages('Reliability-ImagePinned', edited((m) => { m[0].spec.template.spec.containers[0].image = image; }));
    expect(found).toEqual([expect.stringMatching(message)]);
    expect(found[0].startsWith(`${CONTAINER}.image: `)).toBe(true);
  });

  test.each(['nginx:1.25.3', 'registry.local:5000/team/app:v2', `app@${DIGEST}`, `app:latest@${DIGEST}`])('%j is pinned', (image) => {
    expect(imageProblem(image)).toBeUndefined();
  });
});

describe('Reliability-PodDisruptionBudget', () => {
  test('missing, mis-selecting or other-namespace PDBs are reported', () => {
    const expected = [expect.stringMatching(/^spec\.template\.metadata\.labels: 3 replicas but no PodDisruptionBudget in namespace platform selects \{app\.kubernetes\.io\/name=api/)];
    expect(messages('Reliability-PodDisruptionBudget', without(2))).toEqual(expected);
    expect(messages('Reliability-PodDisruptionBudget', edited((m) => { m[2].spec.selector.matchLabels = { 'app.kubernetes.io/name': 'web' }; }))).toEqual(expected);
    expect(messages('Reliability-PodDisruptionBudget', edited((m) => { m[2].metadata.namespace = 'other'; }))).toEqual(expected);
  });

  test('a KEDA ScaledObject with minReplicaCount > 1 makes a single-replica Deployment multi-replica', () => {
    const worker = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'worker', namespace: 'platform' }, spec: {} };
    const scaled = (minReplicaCount?: number) => ({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'worker', namespace: 'platform' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' }, minReplicaCount },
    });
    expect(desiredReplicas(worker, [worker, scaled(2)])).toBe(2);
    expect(desiredReplicas(worker, [worker, scaled()])).toBe(1);
    expect(desiredReplicas(worker, [worker, { ...scaled(2), metadata: { name: 'worker', namespace: 'other' } }])).toBe(1);
  });

  test('an HPA with minReplicas > 1 makes a single-replica Deployment multi-replica', () => {
    const single = edited((m) => { m[0].spec.replicas = 1; m.splice(2, 1); });
    expect(desiredReplicas(single[0], single)).toBe(3);
    expect(messages('Reliability-PodDisruptionBudget', single)).toEqual([expect.stringMatching(/3 replicas but no PodDisruptionBudget/)]);
    const scaledDown = edited((m) => { m[0].spec.replicas = 1; m[3].spec.minReplicas = 1; m.splice(2, 1); });
    expect(messages('Reliability-PodDisruptionBudget', scaledDown)).toEqual([]);
  });

  test('matchExpressions selectors are honoured', () => {
    expect(messages('Reliability-PodDisruptionBudget', edited((m) => {
      m[2].spec.selector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['api', 'web'] }, { key: 'canary', operator: 'DoesNotExist' }] };
    }))).toEqual([]);
  });
});

describe('Reliability-PodSpreading', () => {
  test('multi-replica workloads need anti-affinity or topology spread that selects their own pods', () => {
    const noSpread = edited((m) => {
      delete m[0].spec.template.spec.affinity;
      m[0].spec.template.spec.topologySpreadConstraints[0].labelSelector = { matchLabels: { 'app.kubernetes.io/name': 'other' } };
    });
    expect(messages('Reliability-PodSpreading', noSpread))
      .toEqual([expect.stringMatching(/^spec\.template\.spec: 3 replicas but no podAntiAffinity term or topologySpreadConstraint whose labelSelector matches/)]);
  });

  test('required anti-affinity alone is enough', () => {
    expect(messages('Reliability-PodSpreading', edited((m) => {
      const spec = m[0].spec.template.spec;
      delete spec.topologySpreadConstraints;
      spec.affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: m[2].spec.selector }] };
    }))).toEqual([]);
  });
});

describe('Reliability-ServiceSelector', () => {
  test('a selector that matches no workload in the namespace', () => {
    expect(messages('Reliability-ServiceSelector', edited((m) => { m[1].spec.selector = { 'app.kubernetes.io/name': 'apy' }; })))
      .toEqual(['spec.selector: {app.kubernetes.io/name=apy} matches no workload pod template in namespace platform']);
    expect(messages('Reliability-ServiceSelector', edited((m) => { m[1].metadata.namespace = 'other'; })))
      .toEqual([expect.stringMatching(/matches no workload pod template in namespace other/)]);
  });

  test('named and numeric targetPorts must exist on a selected container', () => {
    expect(messages('Reliability-ServiceSelector', edited((m) => {
      m[1].spec.ports = [{ port: 80, targetPort: 'htp' }, { port: 9091, targetPort: 9091 }, { port: 8081 }];
    }))).toEqual([
      `spec.ports[0].targetPort: "htp" is not a container port of ${ID}`,
      `spec.ports[1].targetPort: 9091 is not a container port of ${ID}`,
      `spec.ports[2].targetPort: 8081 (targetPort defaults to port) is not a container port of ${ID}`,
    ]);
  });

  test('Services without a selector (external endpoints) are skipped', () => {
    expect(messages('Reliability-ServiceSelector', [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } }])).toEqual([]);
  });
});

describe('Reliability-NetworkPolicy', () => {
  test('a workload not selected by a specific policy', () => {
    expect(messages('Reliability-NetworkPolicy', without(4))).toEqual([
      expect.stringMatching(/^spec\.template\.metadata\.labels: no NetworkPolicy with a non-empty podSelector selects .* in namespace platform$/),
    ]);
  });

  test('a namespace without default-deny', () => {
    const found = checkReliability(without(5)).filter((f) => f.rule === 'Reliability-NetworkPolicy');
    expect(found).toEqual([expect.objectContaining({ object: 'v1/Namespace platform', message: expect.stringMatching(/namespace platform has no default-deny NetworkPolicy/) })]);
  });

  test('a "default-deny" that allows traffic or covers only ingress does not count', () => {
    const allowAll = defaultDenyNetworkPolicy();
    allowAll.spec.ingress = [{}];
    const ingressOnly = defaultDenyNetworkPolicy();
    ingressOnly.spec.policyTypes = ['Ingress'];
    expect([allowAll, ingressOnly].map(isDefaultDeny)).toEqual([false, false]);
    expect(isDefaultDeny(defaultDenyNetworkPolicy())).toBe(true);
    expect(messages('Reliability-NetworkPolicy', edited((m) => { m[5] = allowAll; }))).toEqual([expect.stringMatching(/no default-deny/)]);
  });

  test('objects without metadata.namespace live in "default"', () => {
    const strip = (o: any) => { delete o.metadata.namespace; return o; };
    const manifests = [strip(deployment()), apiNetworkPolicy(), strip(defaultDenyNetworkPolicy())];
    expect(messages('Reliability-NetworkPolicy', manifests)).toEqual([expect.stringMatching(/in namespace default$/)]);
    expect(messages('Reliability-NetworkPolicy', [...manifests.slice(0, 1), strip(apiNetworkPolicy()), manifests[2]])).toEqual([]);
  });

  test('Jobs are workloads too', () => {
    expect(messages('Reliability-NetworkPolicy', [...goodManifests(), { ...job('Job'), spec: { template: { ...podTemplate(), metadata: { labels: { job: 'x' } } } } }]))
      .toEqual([expect.stringMatching(/^spec\.template\.metadata\.labels: no NetworkPolicy .* selects \{job=x\}/)]);
  });
});

describe('Reliability-HpaTarget', () => {
  test('scaleTargetRef must name an existing workload of the same API group', () => {
    expect(messages('Reliability-HpaTarget', edited((m) => { m[3].spec.scaleTargetRef.name = 'apii'; })))
      .toEqual(['spec.scaleTargetRef: apps/v1/Deployment apii does not exist in namespace platform']);
    expect(messages('Reliability-HpaTarget', edited((m) => { m[3].spec.scaleTargetRef.apiVersion = 'extensions/v1beta1'; })))
      .toEqual([expect.stringMatching(/extensions\/v1beta1\/Deployment api does not exist/)]);
    expect(messages('Reliability-HpaTarget', [horizontalPodAutoscaler()])).toHaveLength(1);
  });
});

describe('credentials', () => {
  test('Reliability-NoSecretValues: Secrets never carry data or stringData', () => {
    const secret = (extra: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: NAMESPACE }, type: 'Opaque', ...extra });
    expect(messages('Reliability-NoSecretValues', [secret({ data: { password: 'aHVudGVyMg==' } }), secret({ stringData: { token: 't' } })])).toEqual([
      'data: Secret carries 1 value(s); credentials must be provisioned out of band',
      'stringData: Secret carries 1 value(s); credentials must be provisioned out of band',
    ]);
    expect(messages('Reliability-NoSecretValues', [secret({}), secret({ data: {} })])).toEqual([]);
  });

  test('Reliability-PlainCredentialEnv: credential-looking names never hold literal values', () => {
    const env = [
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'stripe_api_key', value: 'sk_live_x' },
      { name: 'GITHUB_TOKEN', value: 'ghp_x' },
      { name: 'AWS_SECRET_ACCESS_KEY', value: 'x' },
      { name: 'TLS_PRIVATE_KEY', value: '-----BEGIN' },
      { name: 'EMPTY_SECRET', value: '' }, // explicitly empty: allowed
      { name: 'DB_PASSWORD_FILE', value: '/var/run/secrets/db/password' }, // a reference, not a value
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } },
      { name: 'LOG_LEVEL', value: 'debug' },
    ];
    const found = messages('Reliability-PlainCredentialEnv', edited((m) => { m[0].spec.template.spec.initContainers[0].env = env; }));
    expect(found).toEqual(['DB_PASSWORD', 'stripe_api_key', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'TLS_PRIVATE_KEY'].map((name) =>
      expect.stringMatching(new RegExp(`^spec\\.template\\.spec\\.initContainers\\[0\\]\\.env\\[\\d\\]\\.value: env var ${name} holds a literal credential`))));
  });
});

test('the Service fixture helper is consistent with the Deployment', () => {
  expect(messages('Reliability-ServiceSelector', [deployment(), service()])).toEqual([]);
});

describe('manifest-wide rules', () => {
  const svc = (name: string, namespace = 'shop') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: {} });
  test('an object defined twice is a finding; the same name in another namespace or kind is not', () => {
    expect(checkDuplicateObjects([svc('a'), svc('a', 'other'), { ...svc('a'), kind: 'ConfigMap' }])).toEqual([]);
    expect(checkDuplicateObjects([svc('a'), svc('a')])).toEqual([expect.objectContaining({
      rule: 'Reliability-DuplicateObject', object: 'v1/Service shop/a', message: 'is defined more than once: kubectl apply would fail or keep only one',
    })]);
  });

  test('a Job without ttlSecondsAfterFinished, or a CronJob whose Jobs are never cleaned, is a finding', () => {
    const batchJob = (spec: object) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'shop' }, spec });
    const cron = (spec: object) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'shop' }, spec: { jobTemplate: { spec: {} }, ...spec } });
    const cleaned = cron({ successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(checkJobLifetimes([batchJob({ ttlSecondsAfterFinished: 60 }), cleaned])).toEqual([]);
    expect(checkJobLifetimes([batchJob({}), cron({ successfulJobsHistoryLimit: 3 })]).map(f => `${f.object} ${f.path} ${f.message}`)).toEqual([
      'batch/v1/Job shop/j spec.ttlSecondsAfterFinished is not set: the finished Job is kept forever and blocks applying a changed template under its name',
      'batch/v1/CronJob shop/c spec.jobTemplate.spec.ttlSecondsAfterFinished is not set and the history limits are not both set: finished Jobs pile up',
    ]);
  });

  test('a disruption budget that allows no eviction is a finding', () => {
    const pdb = (maxUnavailable: number | string) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'shop' }, spec: { maxUnavailable } });
    expect(checkBlockingDisruptionBudgets([pdb(1), pdb('25%')])).toEqual([]);
    expect(checkBlockingDisruptionBudgets([pdb(0), pdb('0%')]).map(f => f.message)).toEqual([
      'allows no voluntary eviction: node drains hang; allow at least one', 'allows no voluntary eviction: node drains hang; allow at least one',
    ]);
  });

  test('a cluster-scoped object that names a namespace is a finding; a namespaced one is not', () => {
    const namespaceObject = (metadata: object) => ({ apiVersion: 'v1', kind: 'Namespace', metadata });
    expect(checkClusterScopedNamespaces([namespaceObject({ name: 'shop' }), svc('a')])).toEqual([]);
    expect(checkClusterScopedNamespaces([namespaceObject({ name: 'shop', namespace: 'shop' })])).toEqual([{
      rule: 'Reliability-ClusterScopedNamespace',
      object: 'v1/Namespace shop',
      path: 'metadata.namespace',
      message: 'is cluster-scoped but sets namespace "shop": the API server drops it and diffs never settle; remove it',
    }]);
  });
});
