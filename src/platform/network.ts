import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { invalidPropMessage, PlatformValidationError } from './errors';
import { isCidr } from './grammar/cidr';
import { EgressGrant, podsIn, WorkloadPeerProps } from './workload-peer';

/**
 * Anything that can be let in with `allowFrom`: a platform construct or a `NetworkPeer`.
 */
export interface INetworkPeer {
  /** How this peer is identified on each target. */
  readonly networkIdentity: NetworkPeer;
}

/**
 * A network identity, meaning the same thing on both targets: a security group on AWS, a set of
 * pods (or an address range) in a NetworkPolicy on Kubernetes.
 */
export class NetworkPeer implements INetworkPeer {
  /** An IPv4 range (CIDR), on both targets. */
  public static ipv4(cidr: string): NetworkPeer {
    return new NetworkPeer({ cidr });
  }

  /** Something with security groups (AWS only). */
  public static fromConnectable(connectable: ec2.IConnectable): NetworkPeer {
    return new NetworkPeer({ connectable });
  }

  /** Pods with these labels in `namespace` (Kubernetes only; the peer's own namespace when omitted). */
  public static fromPodLabels(podLabels: Record<string, string>, namespace?: string): NetworkPeer {
    return new NetworkPeer({ podLabels, namespace });
  }

  /**
   * A platform workload: its security group on AWS, its pods on Kubernetes, and a callback that
   * opens the workload's own egress towards whatever lets it in.
   *
   * @internal
   */
  public static _workload(props: WorkloadPeerProps): NetworkPeer {
    return new NetworkPeer(props);
  }

  /** IPv4 range, for `ipv4` peers. */
  public readonly cidr?: string;
  /** Security groups, for AWS peers. */
  public readonly connectable?: ec2.IConnectable;
  /** Pod labels, for Kubernetes peers. */
  public readonly podLabels?: Record<string, string>;
  /** Namespace of the pods, for Kubernetes peers. */
  public readonly namespace?: string;
  private readonly allowEgress?: (grant: EgressGrant) => void;

  private constructor(props: WorkloadPeerProps) {
    this.cidr = props.cidr;
    this.connectable = props.connectable;
    this.podLabels = props.podLabels;
    this.namespace = props.namespace;
    this.allowEgress = props.allowEgress;
  }

  /** A peer is its own network identity. */
  public get networkIdentity(): NetworkPeer {
    return this;
  }

  /** @internal */
  public _awsPeer(scope: IConstruct): ec2.IConnectable {
    if (this.connectable) return this.connectable;
    if (this.cidr) return ec2.Peer.ipv4(this.checkedCidr(scope));
    throw new PlatformValidationError(
      `${scope.node.path}: allowFrom(peer) got a Kubernetes-only peer (pod labels) on aws: ` +
      'pass a platform construct, NetworkPeer.ipv4(cidr) or NetworkPeer.fromConnectable(...)',
    );
  }

  /** @internal */
  public _kubernetesPeer(scope: IConstruct, defaultNamespace: string): k8s.NetworkPolicyPeer {
    if (this.cidr) return { ipBlock: { cidr: this.checkedCidr(scope) } };
    if (this.podLabels) return podsIn(this.podLabels, this.namespace ?? defaultNamespace);
    throw new PlatformValidationError(
      `${scope.node.path}: allowFrom(peer) got an AWS-only peer (security groups) on kubernetes: ` +
      'pass a platform construct, NetworkPeer.ipv4(cidr) or NetworkPeer.fromPodLabels(...)',
    );
  }

  /** The range, refused on both targets alike unless it is an IPv4 CIDR block. */
  private checkedCidr(scope: IConstruct): string {
    const cidr = this.cidr!;
    if (Token.isUnresolved(cidr) || (isCidr(cidr) && !cidr.includes(':'))) return cidr;
    throw new PlatformValidationError(invalidPropMessage(scope, 'allowFrom(NetworkPeer.ipv4)', 'is not an IPv4 range', cidr, 'use CIDR notation, e.g. "10.0.0.0/16"'));
  }

  /** @internal */
  public _grantEgress(grant: EgressGrant): void {
    this.allowEgress?.(grant);
  }
}
