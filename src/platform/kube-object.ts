import { ApiObject, ApiObjectMetadata, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/** A generated Kubernetes class of cdk8s-plus-27's `k8s` module (`k8s.KubeDeployment`…). */
export type KubeClass<T extends ApiObject> = new (scope: Construct, id: string, props: any) => T;

/** An object's manifest without `apiVersion` and `kind`, which its class gives. */
export interface KubeManifest {
  readonly metadata: ApiObjectMetadata;
  readonly [field: string]: unknown;
}

/**
 * `new type(scope, id, manifest)`, written out as `manifest` says: an object of the generated typed
 * class (`k8s.KubeDeployment`…), so escape hatches expose typed objects, from a manifest given in
 * Kubernetes JSON.
 *
 * The generated classes rebuild their JSON field by field at synthesis from the Kubernetes 1.27
 * schema they were generated from. That conversion keeps only the fields it knows, so a user's
 * `addJsonPatch` of a newer field would vanish from the manifest without a word, and it costs a sixth
 * of a 1,000-service chart's synthesis. These objects render as an `ApiObject` does instead: the
 * manifest as written, keys sorted, patches applied. The strict schema validation in the tests
 * guards the field names.
 */
export function kubeObject<T extends ApiObject>(type: KubeClass<T>, scope: Construct, id: string, manifest: KubeManifest): T {
  const object = new type(scope, id, manifest);
  Object.defineProperty(object, 'toJson', { value: renderAsWritten, configurable: true, writable: true });
  return object;
}

function renderAsWritten(this: ApiObject): any {
  return ApiObject.prototype.toJson.call(this);
}

/**
 * `new type(scope, id, props)` from typed props, whose JSON patches apply to the converted manifest.
 * The generated classes apply an object's patches before their field-by-field conversion, which
 * drops every field their Kubernetes 1.27 schema does not know: a user's `addJsonPatch` of a newer
 * field (`spec.trafficDistribution`…) would vanish from the manifest without a word.
 */
export function typedKubeObject<P, T extends ApiObject>(
  type: new (scope: Construct, id: string, props: P) => T, scope: Construct, id: string, props: P,
): T {
  const object = new type(scope, id, props);
  const convert = type.prototype.toJson as () => any;
  Object.defineProperty(object, 'toJson', {
    value(this: T) { return convertThenPatch(this, () => convert.call(this)); },
    configurable: true,
    writable: true,
  });
  return object;
}

/** `convert()` run without the object's JSON patches, which are then applied to its result. */
export function convertThenPatch(object: ApiObject, convert: () => any): any {
  // cdk8s keeps the patches of `addJsonPatch` in this private field (checked on every version CI runs).
  const holder = object as unknown as { patches?: JsonPatch[] };
  const patches = holder.patches;
  if (!Array.isArray(patches)) {
    throw new Error(`${object.node.path}: this cdk8s version no longer keeps an ApiObject's JSON patches where cdk-portable-platform expects them`);
  }
  if (patches.length === 0) return convert();
  holder.patches = [];
  try {
    return JsonPatch.apply(convert(), ...patches);
  } finally {
    holder.patches = patches;
  }
}
