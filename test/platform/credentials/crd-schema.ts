/**
 * Strict validation of the External Secrets and cert-manager objects against the operators' own
 * published CustomResourceDefinitions, since neither operator installs here.
 *
 * The schemas are the CRDs' `openAPIV3Schema`, stored in fixtures/ with their source:
 *   external-secrets/external-secrets v2.9.0 config/crds/bases/external-secrets.io_externalsecrets.yaml
 *   external-secrets/external-secrets v2.9.0 config/crds/bases/generators.external-secrets.io_passwords.yaml
 *   cert-manager/cert-manager v1.21.1 deploy/crds/cert-manager.io_certificates.yaml
 *   cert-manager/cert-manager v1.21.1 deploy/crds/cert-manager.io_issuers.yaml
 * As the API server does with `kubectl apply --validate=strict`, a field the schema does not declare
 * is an error (unless the schema has `additionalProperties` or `x-kubernetes-preserve-unknown-fields`).
 * `metadata`, which CRDs leave open and the API server checks as ObjectMeta, is checked as the
 * subset the library writes. The walker implements every keyword these schemas use; an unknown
 * keyword fails loudly rather than being ignored.
 */
import * as certManager from './fixtures/cert-manager-crds.json';
import * as externalSecrets from './fixtures/external-secrets-crds.json';
import { Finding, objectId } from '../../conformance/kubernetes';

type Schema = Record<string, any>;

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const OBJECT_META: Schema = {
  type: 'object',
  required: ['name', 'namespace'],
  properties: {
    name: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN },
    namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};
/** Keywords that do not constrain a value (defaults, list semantics for server-side apply). */
const ANNOTATIONS = new Set(['default', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-preserve-unknown-fields']);
const CONSTRAINTS = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'format', 'pattern',
  'maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties', 'minimum', 'maximum']);

const PUBLISHED: Record<string, Schema> = { ...externalSecrets.schemas, ...certManager.schemas };
const SCHEMAS: ReadonlyMap<string, Schema> = new Map(Object.entries(PUBLISHED).map(([gvk, schema]) => [gvk, {
  ...schema,
  required: [...new Set([...((schema as Schema).required ?? []), 'apiVersion', 'kind', 'metadata', 'spec'])],
  properties: { ...(schema as Schema).properties, metadata: OBJECT_META },
}]));

/** `group/version/Kind` of every custom resource validated here. */
export const CRD_KINDS: ReadonlySet<string> = new Set(SCHEMAS.keys());

export function gvkOf(obj: any): string {
  return `${obj?.apiVersion}/${obj?.kind}`;
}

/** Problems of `value` against `schema` at `path`, as `path: message`. */
export function schemaProblems(value: unknown, schema: Schema, path = ''): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!CONSTRAINTS.has(keyword) && !ANNOTATIONS.has(keyword)) throw new Error(`schema keyword ${keyword} at ${path || '/'} is not implemented`);
  }
  const at = path || '/';
  const type = jsonType(value);
  if (schema.type && !(type === schema.type || (schema.type === 'number' && type === 'integer'))) return [`${at}: expected ${schema.type}, got ${type}`];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.format === 'int32' && (value < -(2 ** 31) || value >= 2 ** 31)) problems.push(`${at}: outside int32`);
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => problems.push(...schemaProblems(item, schema.items, `${path}/${i}`)));
  }
  if (type === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) problems.push(`${at}: fewer than ${schema.minProperties} fields`);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) problems.push(`${at}: more than ${schema.maxProperties} fields`);
    for (const field of schema.required ?? []) if (!(field in record)) problems.push(`${at}: required field ${field} is missing`);
    for (const key of keys) {
      const declared = schema.properties?.[key];
      if (declared) problems.push(...schemaProblems(record[key], declared, `${path}/${key}`));
      else if (typeof schema.additionalProperties === 'object') problems.push(...schemaProblems(record[key], schema.additionalProperties, `${path}/${key}`));
      else if (schema.additionalProperties !== true && !schema['x-kubernetes-preserve-unknown-fields']) problems.push(`${path}/${key}: unknown field`);
    }
  }
  return problems;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Findings for one External Secrets or cert-manager object; an object of another kind is not checked. */
export function validateCustomResource(obj: any): Finding[] {
  const schema = SCHEMAS.get(gvkOf(obj));
  if (!schema) return [];
  return schemaProblems(obj, schema).map(message => ({ rule: 'Schema-CustomResource', object: objectId(obj), message }));
}
