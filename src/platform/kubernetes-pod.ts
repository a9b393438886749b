import { RemovalPolicy } from 'aws-cdk-lib';
import { k8s } from 'cdk8s-plus-27';

/** Pod-level settings that satisfy Pod Security Standards "restricted". */
export function restrictedPodSecurityContext(user: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    fsGroup: user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level settings that satisfy Pod Security Standards "restricted". */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

/**
 * Spread replicas over zones and nodes. ScheduleAnyway keeps a single-zone cluster schedulable;
 * the scheduler still prefers the spread placement.
 */
export function spreadConstraints(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(topologyKey => ({
    topologyKey,
    maxSkew: 1,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
  }));
}

/**
 * A StatefulSet's `data` volume claim template: one ReadWriteOnce volume per pod, on the platform's
 * storage class, labelled like the workload that owns it.
 */
export function dataVolumeClaimTemplate(labels: Record<string, string>, storageClassName: string | undefined, storageMiB: number) {
  return {
    metadata: { name: 'data', labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      resources: { requests: { storage: `${storageMiB}Mi` } },
    },
  };
}

/**
 * What happens to a StatefulSet's volumes: kept when it scales down, and when it is deleted unless
 * the construct's removal policy is DESTROY (the data outlives `kubectl delete` by default).
 */
export function claimRetentionPolicy(removalPolicy: RemovalPolicy | undefined) {
  return { whenDeleted: removalPolicy === RemovalPolicy.DESTROY ? 'Delete' : 'Retain', whenScaled: 'Retain' };
}
