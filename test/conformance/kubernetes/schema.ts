/**
 * Strict structural validation of one manifest against the Kubernetes 1.27 OpenAPI definitions.
 *
 * Stricter than `kubernetes-models` / `kubectl --validate=false`: a misspelled field
 * (`securityContext.runAsNonroot`) is an error here, not silently dropped by the API server.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Finding, isPlainObject, joinPath, objectId } from './types';

type Schema = Record<string, any>;

export const SCHEMA_RULES = {
  unknownKind: { id: 'Schema-UnknownKind', description: 'apiVersion/kind must be a built-in Kubernetes 1.27 type or a custom resource kind whose CRD is stored in crds/' },
  unknownField: { id: 'Schema-UnknownField', description: 'every field must be declared by the OpenAPI definition' },
  type: { id: 'Schema-Type', description: 'values must have the declared JSON type (int32 within range)' },
  required: { id: 'Schema-Required', description: 'required fields (and metadata.name) must be present' },
  enum: { id: 'Schema-Enum', description: 'enumerated fields must take a declared value' },
  format: { id: 'Schema-Format', description: 'Quantity, date-time and base64 strings must be well-formed' },
} as const;

const REF_PREFIX = '#/definitions/';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
// resource.Quantity: <signed number><binarySI | decimalSI | decimal exponent>
const QUANTITY_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface Loaded {
  readonly definitions: Record<string, Schema>;
  /** "group/version/kind" (group "" for core) -> definition name */
  readonly byGvk: Map<string, string>;
}

let cache: Loaded | undefined;

/** Parsed once per process: the file is ~200 KB and tests validate hundreds of objects. */
function load(): Loaded {
  if (cache) return cache;
  const file = path.join(__dirname, 'schemas', 'kubernetes-1.27-definitions.json');
  const definitions: Record<string, Schema> = JSON.parse(fs.readFileSync(file, 'utf8')).definitions;
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      byGvk.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, name);
    }
  }
  cache = { definitions, byGvk };
  return cache;
}

/** Definition name for an apiVersion ("v1" or "apps/v1") and kind, if Kubernetes 1.27 knows it. */
export function definitionFor(apiVersion: unknown, kind: unknown): string | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return load().byGvk.get(`${group}/${version}/${kind}`);
}

/** Validates one manifest; returns [] when it is a well-formed Kubernetes 1.27 object. */
export function validateAgainstSchema(obj: any): Finding[] {
  const walker = new Walker(objectId(obj));
  if (!isPlainObject(obj)) {
    walker.report(SCHEMA_RULES.type.id, '', `expected a Kubernetes object, got ${jsonType(obj)}`);
    return walker.findings;
  }
  const name = definitionFor(obj.apiVersion, obj.kind);
  if (!name) {
    walker.report(SCHEMA_RULES.unknownKind.id, '', `apiVersion/kind ${obj.apiVersion}/${obj.kind} is not a Kubernetes 1.27 type`);
    return walker.findings;
  }
  walker.visit(obj, { $ref: REF_PREFIX + name }, '');
  // Not in the OpenAPI "required" list, but the API server rejects objects without a name.
  if (!obj.metadata?.name && !obj.metadata?.generateName) {
    walker.report(SCHEMA_RULES.required.id, 'metadata.name', 'required field missing');
  }
  return walker.findings;
}

/**
 * Validates a fragment (e.g. one container) against a definition name such as
 * "io.k8s.api.core.v1.Container", or against an inline schema node.
 */
export function validateFragment(value: any, schema: string | Schema, at = '', object = '<fragment>'): Finding[] {
  const walker = new Walker(object);
  walker.visit(value, typeof schema === 'string' ? { $ref: REF_PREFIX + schema } : schema, at);
  return walker.findings;
}

class Walker {
  public readonly findings: Finding[] = [];
  constructor(private readonly object: string) {}

  public report(rule: string, at: string, problem: string): void {
    this.findings.push({ rule, object: this.object, path: at || undefined, message: `${at || '(root)'}: ${problem}` });
  }

  public visit(value: any, schema: Schema, at: string): void {
    let s = schema;
    let name: string | undefined;
    while (s.$ref) {
      name = (s.$ref as string).slice(REF_PREFIX.length);
      s = load().definitions[name];
      if (!s) throw new Error(`unknown schema definition ${name}`);
    }
    // JSON null means "unset" to the API server; required-ness is checked by the parent.
    if (value === null || value === undefined) return;
    if (name === INT_OR_STRING) return this.intOrString(value, at);
    if (name === QUANTITY) return this.quantity(value, at);
    if (s.oneOf) return this.oneOf(value, s.oneOf, at);
    switch (s.type) {
      case undefined: return; // JSON / JSONSchemaPropsOr*: any JSON value is allowed
      case 'object': return this.visitObject(value, s, name, at);
      case 'array': return this.visitArray(value, s, at);
      case 'string': return this.visitString(value, s, at);
      case 'integer': return this.visitInteger(value, s, at);
      case 'number': return this.expect(typeof value === 'number' && Number.isFinite(value), 'number', value, at);
      case 'boolean': return this.expect(typeof value === 'boolean', 'boolean', value, at);
      default: throw new Error(`schema bug: unsupported type ${s.type} at ${at}`);
    }
  }

  private visitObject(value: any, s: Schema, name: string | undefined, at: string): void {
    if (!isPlainObject(value)) return this.typeError('object', value, at);
    const props: Record<string, Schema> | undefined = s.properties;
    for (const key of Object.keys(value)) {
      const child = joinPath(at, key);
      if (props) {
        const prop = props[key];
        if (prop) this.visit(value[key], prop, child);
        else this.report(SCHEMA_RULES.unknownField.id, child, `unknown field${name ? ` (not in ${shortName(name)})` : ''}`);
      } else if (s.additionalProperties) {
        this.visit(value[key], s.additionalProperties, child);
      }
      // neither: RawExtension, FieldsV1, Patch -- free-form by design
    }
    for (const key of s.required ?? []) {
      if (value[key] === undefined || value[key] === null) {
        this.report(SCHEMA_RULES.required.id, joinPath(at, key), 'required field missing');
      }
    }
  }

  private visitArray(value: any, s: Schema, at: string): void {
    if (!Array.isArray(value)) return this.typeError('array', value, at);
    if (!s.items) return;
    for (let i = 0; i < value.length; i++) this.visit(value[i], s.items, joinPath(at, i));
  }

  private visitString(value: any, s: Schema, at: string): void {
    if (typeof value !== 'string') return this.typeError('string', value, at);
    if (s.enum && !s.enum.includes(value)) {
      this.report(SCHEMA_RULES.enum.id, at, `${JSON.stringify(value)} is not one of ${s.enum.map((e: string) => JSON.stringify(e)).join(', ')}`);
    }
    if (s.format === 'date-time' && !DATE_TIME_RE.test(value)) {
      this.report(SCHEMA_RULES.format.id, at, `${JSON.stringify(value)} is not an RFC 3339 date-time`);
    }
    if (s.format === 'byte' && !BASE64_RE.test(value)) {
      this.report(SCHEMA_RULES.format.id, at, 'is not valid base64');
    }
  }

  private visitInteger(value: any, s: Schema, at: string): void {
    if (!Number.isInteger(value)) return this.typeError('integer', value, at);
    if (s.format === 'int32' && (value < INT32_MIN || value > INT32_MAX)) {
      this.report(SCHEMA_RULES.type.id, at, `${value} does not fit in int32`);
    }
  }

  private intOrString(value: any, at: string): void {
    this.expect(typeof value === 'string' || Number.isInteger(value), 'integer or string', value, at);
  }

  private quantity(value: any, at: string): void {
    if (typeof value === 'number') return this.expect(Number.isFinite(value), 'quantity', value, at);
    if (typeof value !== 'string') return this.typeError('quantity (string or number)', value, at);
    if (!QUANTITY_RE.test(value)) this.report(SCHEMA_RULES.format.id, at, `${JSON.stringify(value)} is not a valid quantity (e.g. "250m", "512Mi")`);
  }

  /** Generic oneOf (only primitive unions exist in 1.27): valid if any branch is. */
  private oneOf(value: any, branches: Schema[], at: string): void {
    for (const branch of branches) {
      const probe = new Walker(this.object);
      probe.visit(value, branch, at);
      if (probe.findings.length === 0) return;
    }
    this.typeError(branches.map((b) => b.type ?? 'schema').join(' or '), value, at);
  }

  private expect(ok: boolean, expected: string, value: any, at: string): void {
    if (!ok) this.typeError(expected, value, at);
  }

  private typeError(expected: string, value: any, at: string): void {
    this.report(SCHEMA_RULES.type.id, at, `expected ${expected}, got ${jsonType(value)} ${truncate(JSON.stringify(value))}`);
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function truncate(text: string | undefined): string {
  if (text === undefined) return '';
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function shortName(definition: string): string {
  return definition.replace(/^io\.k8s\.(api\.|apimachinery\.pkg\.apis\.)?/, '');
}
