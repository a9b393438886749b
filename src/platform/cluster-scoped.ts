import { ApiObject, JsonPatch } from 'cdk8s';

/**
 * Drops `metadata.namespace` from a cluster-scoped object (a Namespace, say).
 *
 * cdk8s gives every object its Chart's namespace, cluster-scoped ones included. The API server
 * discards it, so a manifest that keeps it disagrees with the live object: GitOps diffs report it,
 * and clients that build the request path from `metadata.namespace` address the wrong URL.
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  if (obj.metadata.namespace !== undefined) {
    obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return obj;
}

const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PriorityClass', 'IngressClass',
  'CustomResourceDefinition', 'PersistentVolume', 'RuntimeClass',
]);

/** Whether objects of `obj`'s kind live outside any namespace. */
export function isClusterScoped(obj: ApiObject): boolean {
  return CLUSTER_SCOPED_KINDS.has(obj.kind);
}
