/**
 * Strict validation of the Argo Rollouts objects the library writes (Rollout, AnalysisTemplate),
 * against Argo Rollouts' own published CustomResourceDefinitions: no Argo Rollouts controller
 * runs here.
 *
 * The schemas in crds/argo-rollouts-v1.9.1.json are the `openAPIV3Schema` of
 *   argoproj/argo-rollouts manifests/crds/rollout-crd.yaml            (tag v1.9.1)
 *   argoproj/argo-rollouts manifests/crds/analysis-template-crd.yaml  (tag v1.9.1)
 * unchanged except that the controller-written `status` is left out. The API server prunes fields a
 * structural schema does not declare; here every such field is an error instead (as with
 * `kubectl apply --validate=strict`), so a misspelled field cannot pass silently. The Rollout's pod
 * template is also checked against the Kubernetes PodTemplateSpec, as a Deployment's is.
 */
import * as fs from 'fs';
import { join } from 'path';
// ajv 6 comes with the lint toolchain (eslint depends on it); no dependency of its own is added for one test helper.
// eslint-disable-next-line import/no-extraneous-dependencies
import Ajv from 'ajv';
import { validateFragment } from './schema';
import { Finding, isPlainObject, objectId } from './types';

interface CrdFixture { readonly kinds: Record<string, { apiVersion: string; source: string; schema: any }> }

export const CUSTOM_RESOURCE_RULES = {
  schema: { id: 'Schema-CustomResource', description: 'custom resources must match their published CRD schema, strictly' },
} as const;

const INT32 = 2 ** 31;
let validators: Map<string, Ajv.ValidateFunction> | undefined;

/** The CRD schema with unknown fields refused wherever the CRD declares properties and keeps no unknown fields. */
export function strictSchema(node: any): any {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!isPlainObject(node)) return node;
  const copy: Record<string, any> = {};
  for (const [key, value] of Object.entries(node)) {
    // `properties` maps field names to schemas: recurse into the schemas, not into the map itself.
    copy[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strictSchema(v)])) : strictSchema(value);
  }
  if (copy.properties && copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) {
    copy.additionalProperties = false;
  }
  return copy;
}

/** ObjectMeta as a manifest may write it (the CRDs declare `metadata` as a bare object). */
const METADATA = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', maxLength: 253 },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

function load(): Map<string, Ajv.ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, jsonPointers: true });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  validators = new Map();
  const fixture: CrdFixture = JSON.parse(fs.readFileSync(join(__dirname, 'crds', 'argo-rollouts-v1.9.1.json'), 'utf8'));
  for (const [kind, { apiVersion, schema }] of Object.entries(fixture.kinds)) {
    const strict = strictSchema(schema);
    strict.properties.metadata = METADATA;
    validators.set(`${apiVersion}/${kind}`, ajv.compile(strict));
  }
  return validators;
}

/** Whether `obj` is of a kind validated here. */
export function isKnownCustomResource(obj: any): boolean {
  return load().has(`${obj?.apiVersion}/${obj?.kind}`);
}

/** Findings for one Argo Rollouts object; [] for a valid one (and for any other kind). */
export function validateCustomResource(obj: any): Finding[] {
  const validate = load().get(`${obj?.apiVersion}/${obj?.kind}`);
  if (!validate) return [];
  const object = objectId(obj);
  const findings: Finding[] = [];
  if (!validate(obj)) {
    for (const error of validate.errors ?? []) {
      const at = error.dataPath.replace(/^\//, '').replace(/\//g, '.');
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      const path = extra ? (at ? `${at}.${extra}` : extra) : at;
      findings.push({ rule: CUSTOM_RESOURCE_RULES.schema.id, object, path: path || undefined, message: `${path || '(root)'}: ${extra ? 'unknown field' : error.message}` });
    }
  }
  // The CRD keeps `resources.requests`/`limits` free-form: the Kubernetes schema checks them (and the rest of the pod) too.
  if (obj.kind === 'Rollout' && isPlainObject(obj.spec?.template)) {
    findings.push(...validateFragment(obj.spec.template, 'io.k8s.api.core.v1.PodTemplateSpec', 'spec.template', object));
  }
  return findings;
}
