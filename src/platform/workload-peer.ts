import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * A destination a peer was allowed to reach, so the peer can open its own egress towards it.
 */
export interface EgressGrant {
  readonly podLabels: Record<string, string>;
  readonly namespace: string;
  readonly port: number;
}

/** How a platform workload describes itself as a network peer. */
export interface WorkloadPeerProps {
  readonly cidr?: string;
  readonly connectable?: ec2.IConnectable;
  readonly podLabels?: Record<string, string>;
  readonly namespace?: string;
  readonly allowEgress?: (grant: EgressGrant) => void;
}

/** A NetworkPolicy peer: the pods carrying `podLabels` in `namespace`. */
export function podsIn(podLabels: Record<string, string>, namespace: string) {
  return {
    podSelector: { matchLabels: podLabels },
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
  };
}
