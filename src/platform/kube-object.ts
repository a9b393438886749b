import { ApiObject, ApiObjectMetadata } from 'cdk8s';
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
