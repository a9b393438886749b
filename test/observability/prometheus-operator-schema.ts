/**
 * Strict validation of the Prometheus Operator objects the library writes, since no operator runs
 * here: each object is checked against the operator's own published CRD schema, as stored in
 * fixtures/prometheus-operator/*.json (the `openAPIV3Schema` of the served version, unchanged):
 *   prometheus-operator/prometheus-operator example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml
 *   prometheus-operator/prometheus-operator example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml
 * (operator 0.93.0, commit 6adcebc5076c34f4f55f8f5f7b1e528929373ac7; each fixture's `source` says so).
 *
 * Stricter than the API server's pruning: a field the schema does not declare is an error, as
 * `kubectl apply --validate=strict` reports it, instead of being silently dropped. The validator
 * below implements every keyword these schemas use and refuses a schema with any other keyword, so
 * an updated fixture can never be checked only in part.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDnsSubdomain, isLabelValue, isQualifiedName } from '../../src/platform/grammar/kubernetes-names';

type Schema = Record<string, any>;

interface CrdFixture {
  readonly source: {
    readonly repository: string;
    readonly path: string;
    readonly commit: string;
    readonly operatorVersion: string;
    readonly group: string;
    readonly kind: string;
    readonly version: string;
  };
  readonly openAPIV3Schema: Schema;
}

const FIXTURES: readonly CrdFixture[] = ['servicemonitors', 'prometheusrules'].map(name =>
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'prometheus-operator', `${name}.json`), 'utf8')));

/** Keywords that only document or guide the API server's list merging: nothing to check in one object. */
const ANNOTATIONS = new Set(['description', 'default', 'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type']);
const CHECKED = new Set(['type', 'properties', 'additionalProperties', 'required', 'items', 'enum', 'anyOf', 'pattern', 'format', 'minimum',
  'minLength', 'x-kubernetes-int-or-string']);

/** A Go RE2 pattern as a JavaScript RegExp: a leading `(?i)` (after `^`) becomes the `i` flag. */
export function goRegExp(pattern: string): RegExp {
  const insensitive = /^(\^?)\(\?i\)/;
  return insensitive.test(pattern) ? new RegExp(pattern.replace(insensitive, '$1'), 'iu') : new RegExp(pattern, 'u');
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems with `value` against an OpenAPI v3 structural schema, each as `<path>: <problem>`; unknown fields are errors. */
export function validateStructural(value: unknown, schema: Schema, at = ''): string[] {
  const where = at || '<root>';
  const unknownKeywords = Object.keys(schema).filter(k => !ANNOTATIONS.has(k) && !CHECKED.has(k));
  if (unknownKeywords.length > 0) throw new Error(`${where}: the validator does not implement ${unknownKeywords.join(', ')}`);
  if (schema['x-kubernetes-int-or-string']) {
    return ['integer', 'string'].includes(jsonType(value)) ? [] : [`${where}: expected an integer or a string, got ${jsonType(value)}`];
  }
  if (schema.anyOf) {
    const options = (schema.anyOf as Schema[]).map(option => validateStructural(value, option, at));
    if (options.every(problems => problems.length > 0)) return [`${where}: matches none of ${options.length} alternatives`];
  }
  const type = jsonType(value);
  if (schema.type && !(schema.type === type || (schema.type === 'number' && type === 'integer'))) return [`${where}: expected ${schema.type}, got ${type}`];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.pattern && !goRegExp(schema.pattern).test(value)) problems.push(`${where}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${where}: shorter than ${schema.minLength}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${where}: below ${schema.minimum}`);
    const bits = schema.format === 'int32' ? 31 : schema.format === 'int64' ? 63 : undefined;
    if (bits && !(Number.isInteger(value) && Math.abs(value) <= 2 ** bits)) problems.push(`${where}: not a ${schema.format}`);
  }
  if (type === 'array' && schema.items) (value as unknown[]).forEach((item, i) => problems.push(...validateStructural(item, schema.items, `${at}[${i}]`)));
  if (type === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (record[key] === undefined) problems.push(`${at}.${key}: is required`);
    for (const [key, child] of Object.entries(record)) {
      const childSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (childSchema) problems.push(...validateStructural(child, childSchema, `${at}.${key}`));
      // An object schema without properties is free-form (metadata): the API server checks it itself.
      else if (schema.properties || schema.additionalProperties === false) problems.push(`${at}.${key}: unknown field`);
    }
  }
  return problems;
}

const SCHEMAS = new Map(FIXTURES.map(f => [`${f.source.group}/${f.source.version}/${f.source.kind}`, f.openAPIV3Schema]));

/** The fixtures' provenance, for test output. */
export const CRD_SOURCES = FIXTURES.map(f => `${f.source.repository} ${f.source.path} (${f.source.operatorVersion})`);

/** Problems with ObjectMeta that the API server checks itself (the CRD declares metadata as any object). */
function metadataProblems(metadata: any): string[] {
  if (typeof metadata !== 'object' || metadata === null) return ['metadata: required'];
  const problems = Object.keys(metadata).filter(k => !['name', 'namespace', 'labels', 'annotations'].includes(k)).map(k => `metadata.${k}: unknown field`);
  if (typeof metadata.name !== 'string' || !isDnsSubdomain(metadata.name)) problems.push(`metadata.name: not a DNS subdomain (${metadata.name})`);
  for (const [key, value] of Object.entries<any>(metadata.labels ?? {})) {
    if (!isQualifiedName(key)) problems.push(`metadata.labels: key ${key} is not a label key`);
    if (typeof value !== 'string' || !isLabelValue(value)) problems.push(`metadata.labels.${key}: ${value} is not a label value`);
  }
  return problems;
}

/** Every problem with the monitoring.coreos.com objects among `manifests`, each as `<kind>/<name> <path>: <problem>`. */
export function validatePrometheusOperatorObjects(manifests: any[]): string[] {
  return manifests.flatMap(o => {
    if (typeof o?.apiVersion !== 'string' || !o.apiVersion.startsWith('monitoring.coreos.com/')) return [];
    const id = `${o.kind}/${o.metadata?.name}`;
    const schema = SCHEMAS.get(`${o.apiVersion}/${o.kind}`);
    if (!schema) return [`${id}: ${o.apiVersion} ${o.kind} is not covered by the stored CRD schemas`];
    return [...validateStructural(o, schema), ...metadataProblems(o.metadata)].map(p => `${id} ${p}`);
  });
}
