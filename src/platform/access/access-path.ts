/**
 * One effective path of the access matrix: pods (Kubernetes) or tasks and load balancers (AWS) of
 * one construct may open a TCP connection to those of another on a port, and which rules allow it.
 */
export interface AccessPath {
  /** Construct path of the component the connection comes from, or the address range (`ipBlock 0.0.0.0/0`, `cidr 10.0.0.0/8`) of an outside peer. */
  readonly from: string;
  /** Construct path of the component the connection goes to. */
  readonly to: string;
  /** The workload the connection comes from: `Deployment/orders`, or the security group's construct path. */
  readonly fromWorkload: string;
  /** The workload the connection goes to. */
  readonly toWorkload: string;
  /** First TCP port of the range. */
  readonly port: number;
  /** Last TCP port of the range (equal to `port` for one port). */
  readonly endPort: number;
  /**
   * The rules that together allow it: on Kubernetes the target's ingress rule and the source's egress
   * rule (`NetworkPolicy shop/users ingress[1]`); on AWS the security-group rule (`AWS::EC2::SecurityGroupIngress <logical id>`).
   */
  readonly rules: string[];
}
