import { goodManifests, horizontalPodAutoscaler } from './fixtures';
import { checkKubernetesManifests, strictSchema, validateCustomResource } from './index';

/** The fixture's Deployment as an Argo Rollouts canary: the kind the library writes for an SLO-gated rollout. */
function asRollout(manifests: any[]): any[] {
  return manifests.map(m => {
    if (m.kind === 'Deployment') {
      const { strategy: _rolling, ...spec } = m.spec;
      return { ...m, apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { ...spec, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '60s' } }] } } } };
    }
    if (m.kind === 'HorizontalPodAutoscaler') return { ...m, spec: { ...m.spec, scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' } } };
    return m;
  });
}

describe('Argo Rollouts objects in the harness', () => {
  test('a Rollout in place of the hardened Deployment passes every validator, HPA and PDB included', () => {
    const manifests = asRollout(goodManifests());
    expect(manifests.map(m => m.kind)).toContain('Rollout');
    expect(checkKubernetesManifests(manifests).findings).toEqual([]);
  });

  test('its pod template is held to Pod Security "restricted" and the reliability rules, as a Deployment\'s', () => {
    const manifests = asRollout(goodManifests());
    const rollout = manifests.find(m => m.kind === 'Rollout');
    rollout.spec.template.spec.containers[0].securityContext.privileged = true;
    delete rollout.spec.template.spec.containers[0].readinessProbe;
    const rules = checkKubernetesManifests(manifests).findings.map(f => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['PodSecurity-Privileged', 'Reliability-Probes']));
  });

  test('an HPA may scale a Rollout; one that names a missing Rollout is reported', () => {
    const manifests = asRollout(goodManifests()).filter(m => m.kind !== 'Rollout');
    expect(checkKubernetesManifests(manifests).findings.map(f => f.rule)).toContain('Reliability-HpaTarget');
    expect(horizontalPodAutoscaler().spec.scaleTargetRef.kind).toBe('Deployment');
  });

  test('unknown fields are refused wherever the CRD declares properties, and kept where it keeps unknown fields', () => {
    expect(strictSchema({ type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } }))
      .toEqual({ type: 'object', additionalProperties: false, properties: { a: { type: 'object', additionalProperties: false, properties: { b: { type: 'string' } } } } });
    expect(strictSchema({ 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true, 'properties': { a: { type: 'string' } } }))
      .not.toHaveProperty('additionalProperties');
    expect(strictSchema({ type: 'object', additionalProperties: { type: 'string' } })).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });

  test('an AnalysisTemplate is checked against its CRD: a provider it does not know is an error', () => {
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'api', namespace: 'platform' },
      spec: { metrics: [{ name: 'errors', successCondition: 'result[0] == 0', provider: { prometheus: { address: 'http://prometheus:9090', query: 'vector(0)' } } }] },
    };
    expect(validateCustomResource(template)).toEqual([]);
    (template.spec.metrics[0].provider as any).promql = { query: 'up' };
    expect(validateCustomResource(template).map(f => f.message)).toEqual(['spec.metrics.0.provider.promql: unknown field']);
  });
});
