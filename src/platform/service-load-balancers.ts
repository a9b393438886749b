import { createHash } from 'crypto';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PlatformValidationError } from './errors';

/** ALB quota: listeners per load balancer. */
const LISTENERS_PER_LOAD_BALANCER = 50;
/** Listener ports are taken from this range. */
const FIRST_PORT = 20000;
const PORT_COUNT = 40000;

/** @internal */
export interface ServiceListenerSlot {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly port: number;
}

/** @internal */
export interface ServiceLoadBalancerPoolProps {
  readonly vpc: ec2.IVpc;
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * Internal ALBs shared by services, one dedicated listener port per service.
 *
 * A listener per service (rather than host rules on one listener) lets a security-group rule admit
 * a peer to exactly one service. Ports derive from the service name, so adding a service never
 * renumbers another one.
 *
 * @internal
 */
export class ServiceLoadBalancerPool extends Construct {
  private readonly loadBalancers: { alb: elbv2.ApplicationLoadBalancer; used: number }[] = [];
  private readonly usedPorts = new Set<number>();
  private readonly serviceNames = new Set<string>();

  constructor(scope: Construct, id: string, private readonly props: ServiceLoadBalancerPoolProps) {
    super(scope, id);
  }

  public allocate(serviceName: string): ServiceListenerSlot {
    if (this.serviceNames.has(serviceName)) {
      throw new PlatformValidationError(
        `${this.node.path}: two services are named "${serviceName}" in one platform: service names must be unique`,
      );
    }
    this.serviceNames.add(serviceName);
    const port = this.portFor(serviceName);
    this.usedPorts.add(port);
    let slot = this.loadBalancers.find(lb => lb.used < LISTENERS_PER_LOAD_BALANCER);
    if (!slot) {
      slot = { alb: this.createLoadBalancer(this.loadBalancers.length + 1), used: 0 };
      this.loadBalancers.push(slot);
    }
    slot.used++;
    return { loadBalancer: slot.alb, port };
  }

  private portFor(serviceName: string): number {
    let port = FIRST_PORT + (stableHash(serviceName) % PORT_COUNT);
    while (this.usedPorts.has(port)) port = FIRST_PORT + ((port - FIRST_PORT + 1) % PORT_COUNT);
    return port;
  }

  private createLoadBalancer(index: number): elbv2.ApplicationLoadBalancer {
    const alb = new elbv2.ApplicationLoadBalancer(this, index === 1 ? 'Resource' : `Resource${index}`, {
      vpc: this.props.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      dropInvalidHeaderFields: true,
      securityGroup: new ec2.SecurityGroup(this, `SecurityGroup${index}`, {
        vpc: this.props.vpc,
        description: 'Internal service load balancer: peers are admitted per listener by allowFrom',
        allowAllOutbound: false,
      }),
    });
    alb.logAccessLogs(this.props.accessLogsBucket, `service-load-balancer-${index}`);
    return alb;
  }
}

/** A number derived only from `text`: stable across runs, machines and Node versions. */
export function stableHash(text: string): number {
  return parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16);
}
