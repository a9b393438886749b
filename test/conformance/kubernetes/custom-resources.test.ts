import * as fs from 'fs';
import * as path from 'path';
import { goodManifests, horizontalPodAutoscaler } from './fixtures';
import { assertImplemented, checkKubernetesManifests, crdSources, goRegExp, objectMetaProblems, structuralProblems, validateCustomResource } from './index';

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

const problems = (value: unknown, schema: Record<string, any>) => structuralProblems(value, schema).map(p => `${p.path || '(root)'}: ${p.problem}`);

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

  test('an AnalysisTemplate is checked against its CRD: a provider it does not know is an error', () => {
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'api', namespace: 'platform' },
      spec: { metrics: [{ name: 'errors', successCondition: 'result[0] == 0', provider: { prometheus: { address: 'http://prometheus:9090', query: 'vector(0)' } } }] },
    };
    expect(validateCustomResource(template)).toEqual([]);
    (template.spec.metrics[0].provider as any).promql = { query: 'up' };
    expect(validateCustomResource(template)).toEqual([{
      rule: 'Schema-CustomResource', object: 'argoproj.io/v1alpha1/AnalysisTemplate platform/api', path: 'spec.metrics[0].provider.promql', message: 'spec.metrics[0].provider.promql: unknown field',
    }]);
  });

  test('a field misspelt in a Rollout\'s pod template is reported once, with its path', () => {
    const manifests = asRollout(goodManifests());
    const rollout = manifests.find(m => m.kind === 'Rollout');
    rollout.spec.template.spec.containers[0].securityContext.runAsNonroot = true;
    expect(validateCustomResource(rollout).map(f => f.message)).toEqual(['spec.template.spec.containers[0].securityContext.runAsNonroot: unknown field']);
  });
});

describe('every object of a kind with a stored CRD is validated by the harness', () => {
  const monitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'users', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'users' } }, endpoints: [{ port: 'metrics' }] },
  };

  test('a known kind is checked against its CRD, never reported as an unknown kind', () => {
    expect(checkKubernetesManifests([monitor]).findings).toEqual([]);
    const broken = { ...monitor, spec: { ...monitor.spec, endpoints: [{ port: 'metrics', honourLabels: true }] } };
    expect(checkKubernetesManifests([broken]).findings.map(f => `${f.rule} ${f.message}`)).toEqual(['Schema-CustomResource spec.endpoints[0].honourLabels: unknown field']);
  });

  test('a kind without a stored CRD, even in a known group or version, stays Schema-UnknownKind', () => {
    for (const other of [{ ...monitor, kind: 'PodMonitor' }, { ...monitor, apiVersion: 'monitoring.coreos.com/v1alpha1' }]) {
      expect(checkKubernetesManifests([other]).findings.map(f => f.rule)).toEqual(['Schema-UnknownKind']);
    }
  });

  test('every stored CRD says where it comes from, and every one of its keywords is implemented', () => {
    const dir = path.join(__dirname, 'crds');
    const files = fs.readdirSync(dir);
    expect(files.sort()).toEqual(['argo-rollouts-v1.9.1.json', 'cert-manager-v1.21.1.json', 'external-secrets-v2.9.0.json', 'prometheus-operator-v0.93.0.json']);
    for (const file of files) {
      const fixture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      expect(fixture.source).toEqual(expect.objectContaining({ repository: expect.stringMatching(/^[\w-]+\/[\w-]+$/), version: expect.any(String), commit: expect.stringMatching(/^[0-9a-f]{40}$/) }));
      for (const crd of fixture.crds) {
        expect(crd.path).toMatch(/\.yaml$/);
        expect(() => assertImplemented(crd.openAPIV3Schema)).not.toThrow();
      }
    }
    expect(crdSources()).toHaveLength(8);
    console.info(`stored CRDs:\n${crdSources().join('\n')}`);
  });
});

describe('one strictness policy for every stored CRD', () => {
  test('unknown fields are errors unless the schema keeps them (additionalProperties, x-kubernetes-preserve-unknown-fields)', () => {
    const schema = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } };
    expect(problems({ a: { b: 'x', c: 1 }, d: 2 }, schema)).toEqual(['a.c: unknown field', 'd: unknown field']);
    // An object schema without properties declares no field: the API server would prune every one.
    expect(problems({ a: 1 }, { type: 'object' })).toEqual(['a: unknown field']);
    expect(problems({ a: 1, b: { c: 1 } }, { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true, 'properties': { a: { type: 'integer' } } })).toEqual([]);
    expect(problems({ a: 1 }, { type: 'object', additionalProperties: true })).toEqual([]);
    expect(problems({ a: 'x', b: 2 }, { type: 'object', additionalProperties: { type: 'string' } })).toEqual(['b: expected string, got integer']);
  });

  test('types, int-or-string, enums, formats, bounds and required fields (unless defaulted)', () => {
    const schema = {
      type: 'object',
      required: ['port', 'mode', 'replicas'],
      properties: {
        port: { 'anyOf': [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
        mode: { type: 'string', enum: ['a', 'b'] },
        replicas: { type: 'integer', format: 'int32', minimum: 1, default: 1 },
        at: { type: 'string', format: 'date-time' },
        tags: { type: 'array', maxItems: 1, items: { type: 'string', minLength: 2 } },
      },
    };
    expect(problems({ port: 'http', mode: 'a' }, schema)).toEqual([]);
    expect(problems({ port: true, mode: 'c', replicas: 2 ** 31, at: 'yesterday', tags: ['x', 'yy'] }, schema)).toEqual([
      'port: expected an integer or a string, got boolean', 'mode: "c" is not one of a, b', 'replicas: 2147483648 is not a valid int32',
      'at: "yesterday" is not a valid date-time', 'tags: more than 1 items', 'tags[0]: shorter than 2',
    ]);
    expect(problems({ replicas: 0 }, schema)).toEqual(['port: required field missing', 'mode: required field missing', 'replicas: below 1']);
    expect(problems(null, { type: 'string' })).toEqual(['(root): expected string, got null']);
    expect(problems(3, { anyOf: [{ minimum: 5 }, { maximum: 1 }] })).toEqual(['(root): 3 matches none of its 2 alternatives']);
  });

  test('sets and maps keyed by x-kubernetes-list-map-keys refuse duplicates, as the API server does', () => {
    expect(problems(['a', 'b', 'a'], { 'type': 'array', 'x-kubernetes-list-type': 'set', 'items': { type: 'string' } })).toEqual(['[2]: duplicate set entry "a"']);
    const map = { 'type': 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], 'items': { type: 'object', properties: { name: { type: 'string' }, v: { type: 'integer' } } } };
    expect(problems([{ name: 'a', v: 1 }, { name: 'b', v: 1 }, { name: 'a', v: 2 }], map)).toEqual(['[2]: duplicate map entry ["a"]']);
  });

  test('Go RE2 patterns: a leading (?i) is case-insensitive; any other RE2-only syntax throws instead of matching wrongly', () => {
    const strategy = { type: 'string', pattern: '^(?i)(abort|warn)?$' };
    expect(problems('WARN', strategy)).toEqual([]);
    expect(problems('Abort', strategy)).toEqual([]);
    expect(problems('ignore', strategy)).toEqual(['(root): "ignore" does not match ^(?i)(abort|warn)?$']);
    expect(goRegExp('(?i)^x$').test('X')).toBe(true);
    expect(() => goRegExp('^a(?s).b$')).toThrow(SyntaxError);
  });

  test('a schema keyword, format, list type or CEL rule the validator does not implement is refused loudly', () => {
    const within = (node: Record<string, any>) => ({ type: 'object', properties: { spec: { type: 'object', properties: { field: node } } } });
    expect(() => assertImplemented(within({ type: 'string', nullable: true }))).toThrow('CRD schema at spec.field: keyword nullable is not implemented by the validator');
    expect(() => assertImplemented(within({ oneOf: [{ type: 'string' }] }))).toThrow('keyword oneOf is not implemented');
    expect(() => assertImplemented(within({ type: 'string', format: 'uri' }))).toThrow('format uri is not implemented');
    expect(() => assertImplemented(within({ type: 'string', pattern: '(?s).' }))).toThrow(SyntaxError);
    expect(() => assertImplemented(within({ 'type': 'integer', 'x-kubernetes-validations': [{ rule: 'self > 0' }] }))).toThrow('CEL rule "self > 0" is not implemented');
    // A transition rule reads oldSelf: it runs on updates only, never for an object a manifest creates.
    expect(() => assertImplemented(within({ 'type': 'object', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] }))).not.toThrow();
    expect(() => assertImplemented({ type: 'array', items: { type: 'object', additionalProperties: { type: 'string', uniqueItems: true } } })).toThrow('CRD schema at [*]["*"]: keyword uniqueItems');
    // Validating against a schema refuses it the same way, before looking at the value.
    expect(() => structuralProblems('x', { type: 'string', nullable: true })).toThrow('keyword nullable is not implemented');
  });

  test('ObjectMeta is checked as the API server checks it', () => {
    expect(objectMetaProblems({ name: 'a.b-c', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'x' }, annotations: { 'example.com/note': 'any text' } })).toEqual([]);
    expect(objectMetaProblems({ name: 'Users', namespace: 'my.shop', lables: {}, labels: { 'bad key!': 'ok', 'k': '-x' }, annotations: { 'a/b/c': 'v' } }).map(p => `${p.path}: ${p.problem}`)).toEqual([
      'metadata.lables: unknown field (not in meta.v1.ObjectMeta)',
      'metadata.name: "Users" is not a DNS subdomain',
      'metadata.namespace: "my.shop" is not a DNS label',
      'metadata.labels["bad key!"]: not a label key',
      'metadata.labels.k: "-x" is not a label value',
      'metadata.annotations["a/b/c"]: not an annotation key',
    ]);
    expect(objectMetaProblems({ name: 'x', annotations: { big: 'x'.repeat(256 * 1024) } }).map(p => p.problem)).toEqual(['262147 bytes: annotations may hold at most 262144']);
    expect(objectMetaProblems(undefined)).toEqual([{ path: 'metadata', problem: 'required field missing' }]);
  });
});
