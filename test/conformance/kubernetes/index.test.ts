import { goodManifests } from './fixtures';
import { checkKubernetesManifests, checkObjectSize, expectKubernetesConformance, MAX_OBJECT_BYTES } from './index';

/** `sets` copies of the good fixture, renamed per copy and spread over 20 namespaces. */
function scaled(sets: number): any[] {
  return Array.from({ length: sets }, (_, i) => JSON.parse(JSON.stringify(goodManifests())
    .replace(/"api"/g, `"api-${i}"`)
    .replace(/"default-deny"/g, `"default-deny-${i}"`)
    .replace(/"platform"/g, `"platform-${i % 20}"`))).flat();
}

test('the hardened fixture passes every validator', () => {
  expect(expectKubernetesConformance(goodManifests()))
    .toEqual({ objects: 6, findings: [], byValidator: { schema: 0, podSecurity: 0, reliability: 0 } });
});

test('findings are counted per validator and thrown one per line', () => {
  const manifests = goodManifests();
  const container = manifests[0].spec.template.spec.containers[0];
  container.securityContext.privileged = true;
  container.securityContext.runAsNonroot = true;
  container.image = 'api:latest';
  const report = checkKubernetesManifests(manifests);
  expect(report.byValidator).toEqual({ schema: 1, podSecurity: 1, reliability: 1 });
  expect(() => expectKubernetesConformance(manifests)).toThrow([
    '3 Kubernetes conformance finding(s) in 6 object(s):',
    '[Schema-UnknownField] apps/v1/Deployment platform/api: spec.template.spec.containers[0].securityContext.runAsNonroot: unknown field (not in core.v1.SecurityContext)',
    '[PodSecurity-Privileged] apps/v1/Deployment platform/api: spec.template.spec.containers[0].securityContext.privileged: must be unset or false',
    '[Reliability-ImagePinned] apps/v1/Deployment platform/api: spec.template.spec.containers[0].image: "api:latest" uses the mutable :latest tag; pin a version or digest',
  ].join('\n'));
});

test('skipRules drops findings by rule id', () => {
  const manifests = goodManifests().slice(0, 4); // no NetworkPolicies at all
  expect(checkKubernetesManifests(manifests).findings.map((f) => f.rule)).toEqual(['Reliability-NetworkPolicy', 'Reliability-NetworkPolicy']);
  expect(expectKubernetesConformance(manifests, { skipRules: ['Reliability-NetworkPolicy'] }).findings).toEqual([]);
});

// Its speed is a budget of `npm run bench -- --check` (against our own synthesis of the same objects).
test('~1,000 distinct objects over 20 namespaces: every one checked, no false findings', () => {
  const manifests = scaled(167);
  expect(manifests.length).toBe(1002);
  const report = checkKubernetesManifests(manifests);
  expect(report.objects).toBe(1002);
  expect(report.findings).toEqual([]);
});

describe('object size', () => {
  test('an object over 1 MiB is a finding; one under is not', () => {
    const configMap = (bytes: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'shop' }, data: { blob: 'x'.repeat(bytes) } });
    expect(checkObjectSize(configMap(1000))).toEqual([]);
    expect(checkObjectSize(configMap(MAX_OBJECT_BYTES))).toEqual([expect.objectContaining({
      rule: 'Schema-ObjectSize', object: 'v1/ConfigMap shop/big', message: expect.stringMatching(/^is \d+ bytes: an object must stay within 1048576 bytes \(1 MiB\); split it$/),
    })]);
  });
});
