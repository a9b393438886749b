/**
 * Strict validation of the KEDA objects this library writes, since no KEDA installs here.
 *
 * The schemas below are the parts of KEDA's published CustomResourceDefinitions that the library
 * uses, transcribed in the CRDs' own OpenAPI v3 form (types, required fields, enums, int32):
 *   kedacore/keda config/crd/bases/keda.sh_scaledobjects.yaml        (v1alpha1, commit 8b4f083c)
 *   kedacore/keda config/crd/bases/keda.sh_triggerauthentications.yaml (v1alpha1, commit 8b4f083c)
 * and the RabbitMQ scaler's trigger parameters from kedacore/keda pkg/scalers/rabbitmq_scaler.go.
 * Every object is checked strictly: a field the schema does not declare is an error, as with
 * `kubectl apply --validate=strict` against the CRD.
 */

export interface OpenApiSchema {
  readonly type: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  readonly format?: 'int32';
  readonly properties?: Record<string, OpenApiSchema>;
  readonly additionalProperties?: OpenApiSchema;
  readonly required?: readonly string[];
  readonly items?: OpenApiSchema;
  readonly enum?: readonly string[];
}

const str: OpenApiSchema = { type: 'string' };
const int32: OpenApiSchema = { type: 'integer', format: 'int32' };
const objectMeta: OpenApiSchema = { type: 'object', properties: { name: str, namespace: str, labels: { type: 'object', additionalProperties: str }, annotations: { type: 'object', additionalProperties: str } } };

/** keda.sh_scaledobjects.yaml, v1alpha1: spec (without status, which controllers write). */
export const SCALED_OBJECT_SCHEMA: OpenApiSchema = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: {
      type: 'object',
      required: ['scaleTargetRef', 'triggers'],
      properties: {
        cooldownPeriod: int32,
        idleReplicaCount: int32,
        initialCooldownPeriod: int32,
        maxReplicaCount: int32,
        minReplicaCount: int32,
        pollingInterval: int32,
        scaleTargetRef: { type: 'object', required: ['name'], properties: { apiVersion: str, envSourceContainerName: str, kind: str, name: str } },
        fallback: { type: 'object', required: ['failureThreshold', 'replicas'], properties: { failureThreshold: int32, replicas: int32 } },
        triggers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['metadata', 'type'],
            properties: {
              authenticationRef: { type: 'object', required: ['name'], properties: { kind: { type: 'string', enum: ['TriggerAuthentication', 'ClusterTriggerAuthentication'] }, name: str } },
              metadata: { type: 'object', additionalProperties: str },
              metricType: str,
              name: str,
              type: str,
              useCachedMetrics: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
};

/** keda.sh_triggerauthentications.yaml, v1alpha1: the secretTargetRef form. */
export const TRIGGER_AUTHENTICATION_SCHEMA: OpenApiSchema = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: {
      type: 'object',
      properties: {
        secretTargetRef: {
          type: 'array',
          items: { type: 'object', required: ['key', 'name', 'parameter'], properties: { key: str, name: str, parameter: str } },
        },
      },
    },
  },
};

/** Trigger metadata keys of KEDA's RabbitMQ scaler (rabbitmq_scaler.go `keda:"name=…"` tags, triggerMetadata order). */
export const RABBITMQ_TRIGGER_METADATA = new Set([
  'queueName', 'mode', 'queueLength', 'value', 'activationValue', 'host', 'hostFromEnv', 'protocol', 'vhostName', 'useRegex',
  'excludeUnacknowledged', 'pageSize', 'operation', 'timeout', 'unsafeSsl',
]);
/** Authentication parameters of the RabbitMQ scaler (authParams order). */
export const RABBITMQ_AUTH_PARAMS = new Set(['host', 'protocol', 'vhostName', 'username', 'password', 'ca', 'cert', 'key', 'keyPassword', 'tls']);

/** Problems with `value` against `schema`, each as `<path>: <problem>`. */
export function validateOpenApi(value: unknown, schema: OpenApiSchema, path = ''): string[] {
  const at = path || '<root>';
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object`];
      const record = value as Record<string, unknown>;
      const problems = (schema.required ?? []).filter(key => record[key] === undefined).map(key => `${path}.${key}: is required`);
      for (const [key, child] of Object.entries(record)) {
        const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
        if (!childSchema) problems.push(`${path}.${key}: unknown field`);
        else problems.push(...validateOpenApi(child, childSchema, `${path}.${key}`));
      }
      return problems;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected an array`];
      return value.flatMap((item, i) => validateOpenApi(item, schema.items!, `${path}[${i}]`));
    case 'string':
      if (typeof value !== 'string') return [`${at}: expected a string`];
      return schema.enum && !schema.enum.includes(value) ? [`${at}: must be one of ${schema.enum.join(', ')}`] : [];
    case 'integer':
      if (!Number.isInteger(value)) return [`${at}: expected an integer`];
      return schema.format === 'int32' && ((value as number) < -(2 ** 31) || (value as number) > 2 ** 31 - 1) ? [`${at}: out of int32 range`] : [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
  }
}

/** Every problem with the KEDA objects among `manifests` (ScaledObject, TriggerAuthentication). */
export function validateKedaObjects(manifests: any[]): string[] {
  return manifests.flatMap(o => {
    const id = `${o.kind}/${o.metadata?.name}`;
    if (o.apiVersion === 'keda.sh/v1alpha1' && o.kind === 'ScaledObject') {
      const problems = validateOpenApi(o, SCALED_OBJECT_SCHEMA);
      for (const trigger of o.spec?.triggers ?? []) {
        if (trigger.type !== 'rabbitmq') continue;
        problems.push(...Object.keys(trigger.metadata ?? {}).filter(k => !RABBITMQ_TRIGGER_METADATA.has(k)).map(k => `trigger metadata ${k}: not a RabbitMQ scaler parameter`));
      }
      return problems.map(p => `${id} ${p}`);
    }
    if (o.apiVersion === 'keda.sh/v1alpha1' && o.kind === 'TriggerAuthentication') {
      const problems = validateOpenApi(o, TRIGGER_AUTHENTICATION_SCHEMA);
      problems.push(...(o.spec?.secretTargetRef ?? []).filter((r: any) => !RABBITMQ_AUTH_PARAMS.has(r.parameter)).map((r: any) => `parameter ${r.parameter}: not a RabbitMQ scaler auth parameter`));
      return problems.map(p => `${id} ${p}`);
    }
    return o.apiVersion?.startsWith('keda.sh/') ? [`${id}: apiVersion/kind not covered by the KEDA schemas here`] : [];
  });
}
