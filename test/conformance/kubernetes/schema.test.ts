import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { deployment, goodManifests, service } from './fixtures';
import { definitionFor, validateAgainstSchema, validateFragment } from './schema';

/** Messages of the findings with the given rule id. */
const messages = (obj: any, rule: string): string[] => validateAgainstSchema(obj).filter((f) => f.rule === rule).map((f) => f.message);

describe('schema: accepts well-formed objects', () => {
  test('every object of the hardened fixture is valid', () => {
    for (const obj of goodManifests()) expect(validateAgainstSchema(obj)).toEqual([]);
  });

  test('real cdk8s-plus-27 output has no false positives', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'platform' });
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.25', portNumber: 8080 }] });
    web.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'mongo:7.0', portNumber: 27017 }] });
    new kplus.Job(chart, 'job', { containers: [{ image: 'busybox:1.36' }] });
    new kplus.NetworkPolicy(chart, 'np', { selector: web });
    new kplus.ConfigMap(chart, 'cm', { data: { key: 'value' } });
    const manifests = Testing.synth(chart);
    expect(manifests.length).toBeGreaterThanOrEqual(6);
    expect(manifests.flatMap(validateAgainstSchema)).toEqual([]);
  });

  test('IntOrString is accepted as a string and as an integer', () => {
    const d = deployment();
    d.spec.strategy.rollingUpdate = { maxSurge: 1, maxUnavailable: '10%' };
    const s = service();
    s.spec.ports = [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }];
    expect([...validateAgainstSchema(d), ...validateAgainstSchema(s)]).toEqual([]);
  });

  test('Quantity is accepted as a number and in SI / binary-SI notation', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources = { requests: { cpu: 0.5, memory: '1.5Gi' }, limits: { cpu: '2', memory: '1e9' } };
    expect(validateAgainstSchema(d)).toEqual([]);
  });

  test('Time is an RFC 3339 string, and null means unset (kubectl emits creationTimestamp: null)', () => {
    const d = deployment();
    d.metadata.creationTimestamp = null;
    d.metadata.managedFields = [{ manager: 'kubectl', operation: 'Apply', time: '2024-05-01T12:00:00Z', fieldsV1: { 'f:spec': {} } }];
    expect(validateAgainstSchema(d)).toEqual([]);
  });

  test('RawExtension and JSON accept arbitrary content', () => {
    const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r1' }, revision: 1, data: { any: { nested: [1, 'x'] } } };
    expect(validateAgainstSchema(revision)).toEqual([]);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [{
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { 'type': 'object', 'properties': { size: { type: 'integer', default: 3 } }, 'x-kubernetes-preserve-unknown-fields': true } },
        }],
      },
    };
    expect(validateAgainstSchema(crd)).toEqual([]);
  });
});

describe('schema: rejects malformed objects', () => {
  test('unknown top-level field', () => {
    expect(messages({ ...deployment(), spce: {} }, 'Schema-UnknownField')).toEqual([expect.stringMatching(/^spce: unknown field \(not in apps\.v1\.Deployment\)$/)]);
  });

  test('unknown field deep inside a container', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].securityContext.runAsNonroot = true; // typo: should be runAsNonRoot
    const [finding] = validateAgainstSchema(d);
    expect(finding).toMatchObject({ rule: 'Schema-UnknownField', object: 'apps/v1/Deployment platform/api' });
    expect(finding.message).toMatch(/^spec\.template\.spec\.containers\[0\]\.securityContext\.runAsNonroot: unknown field/);
  });

  test('map keys that are not identifiers are bracketed in paths', () => {
    const d = deployment();
    d.spec.template.metadata.labels['app.kubernetes.io/name'] = 7;
    expect(messages(d, 'Schema-Type')).toEqual([expect.stringMatching(/^spec\.template\.metadata\.labels\["app\.kubernetes\.io\/name"\]: expected string/)]);
  });

  test('wrong primitive types', () => {
    const d = deployment();
    d.spec.replicas = '3';
    d.spec.template.spec.automountServiceAccountToken = 'false';
    d.spec.template.spec.containers[0].ports[0].containerPort = 2 ** 31; // int32 overflow
    d.spec.template.spec.volumes = { name: 'tmp' };
    const found = messages(d, 'Schema-Type');
    expect(found).toContainEqual(expect.stringMatching(/^spec\.replicas: expected integer, got string "3"/));
    expect(found).toContainEqual(expect.stringMatching(/^spec\.template\.spec\.automountServiceAccountToken: expected boolean, got string/));
    expect(found).toContainEqual(expect.stringMatching(/containers\[0\]\.ports\[0\]\.containerPort: 2147483648 does not fit in int32/));
    expect(found).toContainEqual(expect.stringMatching(/^spec\.template\.spec\.volumes: expected array, got object/));
  });

  test('IntOrString rejects booleans and fractions', () => {
    const s = service();
    s.spec.ports[0].targetPort = true;
    s.spec.ports[1].targetPort = 80.5;
    expect(messages(s, 'Schema-Type')).toEqual([
      expect.stringMatching(/^spec\.ports\[0\]\.targetPort: expected integer or string, got boolean/),
      expect.stringMatching(/^spec\.ports\[1\]\.targetPort: expected integer or string, got number/),
    ]);
  });

  test('malformed Quantity, Time and base64 values', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.limits.memory = '512MB';
    d.metadata.creationTimestamp = 'yesterday';
    expect(messages(d, 'Schema-Format')).toEqual([
      expect.stringMatching(/^metadata\.creationTimestamp: "yesterday" is not an RFC 3339 date-time/),
      expect.stringMatching(/resources\.limits\.memory: "512MB" is not a valid quantity/),
    ]);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { ok: 'aGVsbG8=', bad: 'not base64!' } };
    expect(messages(secret, 'Schema-Format')).toEqual(['data.bad: is not valid base64']);
  });

  test.each([
    ['apps/v2', 'Deployment', /apiVersion\/kind apps\/v2\/Deployment is not a Kubernetes 1\.27 type/],
    ['v1', 'Deployment', /v1\/Deployment is not a Kubernetes 1\.27 type/],
    ['apps/v1', 'Deploymnet', /apps\/v1\/Deploymnet is not/],
    [undefined, 'Deployment', /undefined\/Deployment is not/],
    ['monitoring.coreos.com/v1', 'ServiceMonitor', /monitoring\.coreos\.com\/v1\/ServiceMonitor is not/],
  ])('unknown apiVersion/kind %s %s', (apiVersion, kind, message) => {
    const found = validateAgainstSchema({ ...deployment(), apiVersion, kind });
    expect(found).toHaveLength(1);
    expect(found[0].rule).toBe('Schema-UnknownKind');
    expect(found[0].message).toMatch(message);
  });

  test('non-object manifest', () => {
    expect(messages(null, 'Schema-Type')).toEqual(['(root): expected a Kubernetes object, got null']);
  });

  test('missing required fields: container name, Deployment selector, metadata.name', () => {
    const d = deployment();
    delete d.spec.template.spec.containers[0].name;
    delete d.spec.selector;
    delete d.metadata.name;
    expect(messages(d, 'Schema-Required')).toEqual([
      'spec.template.spec.containers[0].name: required field missing',
      'spec.selector: required field missing',
      'metadata.name: required field missing',
    ]);
  });

  test('unknown field inside a CRD schema (JSONSchemaProps is a typed object)', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', propertiez: {} } } }],
      },
    };
    expect(messages(crd, 'Schema-UnknownField')).toEqual([expect.stringMatching(/^spec\.versions\[0\]\.schema\.openAPIV3Schema\.propertiez: unknown field/)]);
  });
});

describe('schema: helpers', () => {
  test('definitionFor maps core and grouped apiVersions', () => {
    expect(definitionFor('v1', 'Service')).toBe('io.k8s.api.core.v1.Service');
    expect(definitionFor('policy/v1', 'PodDisruptionBudget')).toBe('io.k8s.api.policy.v1.PodDisruptionBudget');
    expect(definitionFor('autoscaling/v2', 'HorizontalPodAutoscaler')).toBe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler');
    expect(definitionFor('policy/v1beta1', 'PodDisruptionBudget')).toBeUndefined(); // removed in 1.25
  });

  test('validateFragment checks a single container', () => {
    expect(validateFragment({ name: 'c', image: 'x:1', imagePullPolicy: 'Always' }, 'io.k8s.api.core.v1.Container')).toEqual([]);
    expect(validateFragment({ image: 'x:1', tty: 'yes' }, 'io.k8s.api.core.v1.Container', 'c').map((f) => f.message))
      .toEqual(['c.tty: expected boolean, got string "yes"', 'c.name: required field missing']);
  });

  test('generic oneOf accepts a value matching any branch', () => {
    const schema = { oneOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }] };
    expect([...validateFragment(true, schema), ...validateFragment(['a'], schema)]).toEqual([]);
    expect(validateFragment([1], schema, 'x').map((f) => f.message)).toEqual(['x: expected boolean or array, got array [1]']);
  });

  test('enum values (1.27 only declares enums on kind, so exercised with an inline schema)', () => {
    expect(validateFragment('Always', { type: 'string', enum: ['Always', 'Never'] }, 'policy')).toEqual([]);
    expect(validateFragment('Sometimes', { type: 'string', enum: ['Always', 'Never'] }, 'policy')).toEqual([
      expect.objectContaining({ rule: 'Schema-Enum', message: 'policy: "Sometimes" is not one of "Always", "Never"' }),
    ]);
  });
});
