/**
 * Strict validation of every custom resource the library writes against its operator's own published
 * CustomResourceDefinition, since no operator (and no API server) runs here. The harness sends every
 * object of a kind stored in crds/ here; any other kind outside Kubernetes 1.27 stays `Schema-UnknownKind`.
 *
 * crds/*.json hold each CRD's `openAPIV3Schema` with its provenance (`source`, and each CRD's `path`):
 *   argoproj/argo-rollouts tag v1.9.1 (commit b6bd3bcf8f60d717a98763d26acc983db7f97cb0)
 *     manifests/crds/rollout-crd.yaml, manifests/crds/analysis-template-crd.yaml (status left out)
 *   cert-manager/cert-manager v1.21.1 (commit 24e33194fb39488eff2bbf10c6dc640f407cad44)
 *     deploy/crds/cert-manager.io_certificates.yaml, deploy/crds/cert-manager.io_issuers.yaml
 *     (descriptions and status left out; Issuer keeps only the ca and selfSigned issuer types)
 *   external-secrets/external-secrets v2.9.0, tag helm-chart-2.9.0 (commit cc5bfbc2234ace9cb0caff4ea89c435cf517b27b)
 *     config/crds/bases/external-secrets.io_externalsecrets.yaml, config/crds/bases/generators.external-secrets.io_passwords.yaml
 *     (descriptions and status left out)
 *   prometheus-operator/prometheus-operator 0.93.0 (commit 6adcebc5076c34f4f55f8f5f7b1e528929373ac7)
 *     example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml, …_prometheusrules.yaml (unchanged)
 *
 * One policy for all of them. The API server prunes a field its structural schema does not declare;
 * here it is an error, as with `kubectl apply --validate=strict`, unless the schema has
 * `additionalProperties` or `x-kubernetes-preserve-unknown-fields`. Every keyword of every stored
 * schema is checked when the fixtures load: one this walker does not implement fails the load, so an
 * updated fixture can never be checked only in part. `metadata`, which CRDs leave open, is checked as
 * the API server checks ObjectMeta; a Rollout's pod template is also checked against the Kubernetes
 * PodTemplateSpec, as a Deployment's is.
 */
import * as fs from 'fs';
import * as path from 'path';
import { validateFragment } from './schema';
import { Finding, isPlainObject, joinPath, objectId } from './types';
import { isDnsSubdomain, isLabelValue, isQualifiedName } from '../../../src/platform/grammar/kubernetes-names';

type Schema = Record<string, any>;

interface CrdFixture {
  readonly source: { readonly repository: string; readonly version: string; readonly tag?: string; readonly commit: string };
  readonly note: string;
  readonly crds: readonly { readonly path: string; readonly apiVersion: string; readonly kind: string; readonly openAPIV3Schema: Schema }[];
}

export const CUSTOM_RESOURCE_RULES = {
  schema: { id: 'Schema-CustomResource', description: 'custom resources must match their published CRD schema, strictly' },
} as const;

/** One problem: where (a harness path, `spec.endpoints[0].scheme`) and what. */
export interface SchemaProblem {
  readonly path: string;
  readonly problem: string;
}

/** Keywords that only document a field or say how server-side apply merges it: nothing to check in one object. */
const NO_CONSTRAINT = new Set(['description', 'x-kubernetes-map-type']);
/** Keywords the walker checks. */
const CHECKED = new Set(['type', 'properties', 'additionalProperties', 'required', 'items', 'enum', 'format', 'pattern', 'minLength', 'maxLength',
  'minItems', 'maxItems', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'anyOf', 'default', 'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-validations']);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const FORMATS: Record<string, (value: unknown) => boolean> = {
  'int32': v => typeof v !== 'number' || (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31),
  'int64': v => typeof v !== 'number' || (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63),
  'date-time': v => typeof v !== 'string' || DATE_TIME.test(v),
};
/** The API server's limit on all annotations of one object together (apimachinery TotalAnnotationSizeLimitB). */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const compiled = new Map<string, RegExp>();

/** A Go RE2 pattern as a JavaScript RegExp: a leading `(?i)` (after `^`) becomes the `i` flag; any other RE2-only syntax throws. */
export function goRegExp(pattern: string): RegExp {
  let regExp = compiled.get(pattern);
  if (!regExp) {
    const insensitive = /^(\^?)\(\?i\)/;
    regExp = insensitive.test(pattern) ? new RegExp(pattern.replace(insensitive, '$1'), 'iu') : new RegExp(pattern, 'u');
    compiled.set(pattern, regExp);
  }
  return regExp;
}

/**
 * Throws unless every keyword of `schema` (and of every schema nested in it) is one the walker
 * implements, every `format` is known, every pattern compiles, and every CEL rule is a transition
 * rule (it reads `oldSelf`, so it only runs on an update: never for the objects a manifest creates).
 */
export function assertImplemented(schema: Schema, at = ''): void {
  const where = at || '(root)';
  const unknown = Object.keys(schema).filter(k => !CHECKED.has(k) && !NO_CONSTRAINT.has(k));
  if (unknown.length > 0) throw new Error(`CRD schema at ${where}: keyword ${unknown.join(', ')} is not implemented by the validator`);
  if (schema.type !== undefined && !TYPES.has(schema.type)) throw new Error(`CRD schema at ${where}: type ${schema.type} is not implemented`);
  if (schema.format !== undefined && !FORMATS[schema.format]) throw new Error(`CRD schema at ${where}: format ${schema.format} is not implemented`);
  if (schema.pattern !== undefined) goRegExp(schema.pattern);
  if (!['atomic', 'set', 'map', undefined].includes(schema['x-kubernetes-list-type'])) throw new Error(`CRD schema at ${where}: list type ${schema['x-kubernetes-list-type']} is not implemented`);
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    if (!/\boldSelf\b/.test(rule.rule) || rule.optionalOldSelf) throw new Error(`CRD schema at ${where}: CEL rule ${JSON.stringify(rule.rule)} is not implemented`);
  }
  for (const [key, child] of Object.entries<Schema>(schema.properties ?? {})) assertImplemented(child, joinPath(at, key));
  if (isPlainObject(schema.additionalProperties)) assertImplemented(schema.additionalProperties, joinPath(at, '*'));
  if (schema.items) assertImplemented(schema.items, `${at}[*]`);
  (schema.anyOf ?? []).forEach((option: Schema) => assertImplemented(option, at));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems of `value` against a structural schema (refused if it has a keyword the walker does not implement); unknown fields are problems. */
export function structuralProblems(value: unknown, schema: Schema): SchemaProblem[] {
  assertImplemented(schema);
  return walk(value, schema, '');
}

/** The walker, for schemas assertImplemented accepted. */
function walk(value: unknown, schema: Schema, at: string): SchemaProblem[] {
  const problem = (where: string, text: string): SchemaProblem => ({ path: where, problem: text });
  const type = jsonType(value);
  if (schema['x-kubernetes-int-or-string'] && !['integer', 'string'].includes(type)) return [problem(at, `expected an integer or a string, got ${type}`)];
  if (schema.anyOf && (schema.anyOf as Schema[]).every(option => walk(value, option, at).length > 0)) {
    return [problem(at, `${JSON.stringify(value)} matches none of its ${schema.anyOf.length} alternatives`)];
  }
  if (schema.type && !(schema.type === type || (schema.type === 'number' && type === 'integer'))) return [problem(at, `expected ${schema.type}, got ${type}`)];
  const problems: SchemaProblem[] = [];
  if (schema.enum && !schema.enum.includes(value)) problems.push(problem(at, `${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`));
  if (schema.format && !FORMATS[schema.format](value)) problems.push(problem(at, `${JSON.stringify(value)} is not a valid ${schema.format}`));
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !goRegExp(schema.pattern).test(value)) problems.push(problem(at, `${JSON.stringify(value)} does not match ${schema.pattern}`));
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(problem(at, `shorter than ${schema.minLength}`));
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(problem(at, `longer than ${schema.maxLength}`));
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(problem(at, `below ${schema.minimum}`));
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(problem(at, `above ${schema.maximum}`));
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(problem(at, `fewer than ${schema.minItems} items`));
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(problem(at, `more than ${schema.maxItems} items`));
    // The API server refuses duplicates in a set, and two items with the same keys in a map.
    const keyOf = schema['x-kubernetes-list-type'] === 'set' ? (item: unknown) => JSON.stringify(item)
      : schema['x-kubernetes-list-type'] === 'map' ? (item: any) => JSON.stringify(schema['x-kubernetes-list-map-keys'].map((k: string) => item?.[k])) : undefined;
    const seen = new Set<string>();
    value.forEach((item, i) => {
      if (schema.items) problems.push(...walk(item, schema.items, joinPath(at, i)));
      const key = keyOf?.(item);
      if (key !== undefined && seen.has(key)) problems.push(problem(joinPath(at, i), `duplicate ${schema['x-kubernetes-list-type']} entry ${key}`));
      if (key !== undefined) seen.add(key);
    });
  }
  if (type === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) problems.push(problem(at, `fewer than ${schema.minProperties} fields`));
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) problems.push(problem(at, `more than ${schema.maxProperties} fields`));
    // A required field the API server defaults is never missing.
    for (const key of schema.required ?? []) {
      if (record[key] === undefined && schema.properties?.[key]?.default === undefined) problems.push(problem(joinPath(at, key), 'required field missing'));
    }
    for (const key of keys) {
      const declared = schema.properties?.[key] ?? (isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (declared) problems.push(...walk(record[key], declared, joinPath(at, key)));
      else if (schema.additionalProperties !== true && !schema['x-kubernetes-preserve-unknown-fields']) problems.push(problem(joinPath(at, key), 'unknown field'));
    }
  }
  return problems;
}

/** ObjectMeta as the API server checks it: the 1.27 ObjectMeta fields, a DNS-subdomain name, a DNS-label namespace, label and annotation grammar. */
export function objectMetaProblems(metadata: unknown): SchemaProblem[] {
  if (metadata === undefined) return [{ path: 'metadata', problem: 'required field missing' }];
  if (!isPlainObject(metadata)) return [{ path: 'metadata', problem: `expected object, got ${jsonType(metadata)}` }];
  const problems = validateFragment(metadata, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'metadata')
    .map(f => ({ path: f.path ?? 'metadata', problem: f.message.slice(`${f.path}: `.length) }));
  const { name, namespace, labels, annotations } = metadata;
  if (typeof name !== 'string' || !isDnsSubdomain(name)) problems.push({ path: 'metadata.name', problem: `${JSON.stringify(name)} is not a DNS subdomain` });
  if (namespace !== undefined && !(typeof namespace === 'string' && isDnsSubdomain(namespace) && !namespace.includes('.') && namespace.length <= 63)) {
    problems.push({ path: 'metadata.namespace', problem: `${JSON.stringify(namespace)} is not a DNS label` });
  }
  for (const [key, text] of Object.entries(isPlainObject(labels) ? labels : {})) {
    if (!isQualifiedName(key)) problems.push({ path: joinPath('metadata.labels', key), problem: 'not a label key' });
    if (typeof text === 'string' && !isLabelValue(text)) problems.push({ path: joinPath('metadata.labels', key), problem: `${JSON.stringify(text)} is not a label value` });
  }
  let bytes = 0;
  for (const [key, text] of Object.entries(isPlainObject(annotations) ? annotations : {})) {
    if (!isQualifiedName(key)) problems.push({ path: joinPath('metadata.annotations', key), problem: 'not an annotation key' });
    bytes += Buffer.byteLength(key) + (typeof text === 'string' ? Buffer.byteLength(text) : 0);
  }
  if (bytes > ANNOTATIONS_MAX_BYTES) problems.push({ path: 'metadata.annotations', problem: `${bytes} bytes: annotations may hold at most ${ANNOTATIONS_MAX_BYTES}` });
  return problems;
}

interface Loaded {
  readonly schemas: ReadonlyMap<string, Schema>;
  readonly sources: readonly string[];
}

let loaded: Loaded | undefined;

/** Every stored CRD, keyed `apiVersion/kind`, each schema checked for unimplemented keywords once per process. */
function load(): Loaded {
  if (loaded) return loaded;
  const dir = path.join(__dirname, 'crds');
  const schemas = new Map<string, Schema>();
  const sources: string[] = [];
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
    const fixture: CrdFixture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const { repository, version, tag, commit } = fixture.source;
    for (const crd of fixture.crds) {
      const gvk = `${crd.apiVersion}/${crd.kind}`;
      const schema = crd.openAPIV3Schema;
      assertImplemented(schema, `${file} ${gvk}`);
      // The API server checks ObjectMeta itself and lets a CRD constrain nothing there that these CRDs do.
      if (JSON.stringify(schema.properties?.metadata) !== '{"type":"object"}') throw new Error(`${file} ${gvk}: metadata constraints are not implemented`);
      if (schemas.has(gvk)) throw new Error(`${file}: ${gvk} is stored twice`);
      schemas.set(gvk, { ...schema, properties: { ...schema.properties, metadata: { 'x-kubernetes-preserve-unknown-fields': true } } });
      sources.push(`${gvk}: ${repository} ${crd.path} (${version}${tag ? `, tag ${tag}` : ''}, commit ${commit.slice(0, 12)})`);
    }
  }
  loaded = { schemas, sources };
  return loaded;
}

/** Where each stored CRD comes from, one line per kind, for test output. */
export function crdSources(): readonly string[] {
  return load().sources;
}

/** Whether `obj` is of a kind with a stored CRD. */
export function isKnownCustomResource(obj: any): boolean {
  return load().schemas.has(`${obj?.apiVersion}/${obj?.kind}`);
}

/** Findings for one custom resource; [] for a valid one and for an object of any kind without a stored CRD. */
export function validateCustomResource(obj: any): Finding[] {
  const schema = load().schemas.get(`${obj?.apiVersion}/${obj?.kind}`);
  if (!schema) return [];
  const object = objectId(obj);
  const problems = [...walk(obj, schema, ''), ...objectMetaProblems(obj?.metadata)];
  const findings: Finding[] = problems.map(p => ({ rule: CUSTOM_RESOURCE_RULES.schema.id, object, path: p.path || undefined, message: `${p.path || '(root)'}: ${p.problem}` }));
  // The CRD keeps `resources.requests`/`limits` free-form: the Kubernetes schema checks them (and the rest of the pod) too.
  if (obj.kind === 'Rollout' && isPlainObject(obj.spec?.template)) {
    const reported = new Set(findings.map(f => f.path));
    findings.push(...validateFragment(obj.spec.template, 'io.k8s.api.core.v1.PodTemplateSpec', 'spec.template', object).filter(f => !reported.has(f.path)));
  }
  return findings;
}
