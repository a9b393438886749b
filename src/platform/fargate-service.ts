import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { AwsPlatform } from './aws-platform';

/**
 * How every platform service deploys: never below the desired count, at most twice it, and a
 * circuit breaker that rolls a failing deployment back.
 */
export const PLATFORM_DEPLOYMENT_CONFIGURATION = {
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  deploymentCircuitBreaker: { enable: true, rollback: true },
} as const satisfies ecs.CfnService.DeploymentConfigurationProperty;

/** What differs between the platform's Fargate services. */
export interface PlatformFargateServiceProps {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly desiredCount: number;
  readonly healthCheckGracePeriod: Duration;
  /** Rebalance tasks over zones after a zone recovers (pointless for a single task). */
  readonly zoneRebalancing: boolean;
}

/**
 * A Fargate service in the platform cluster with the safe defaults every platform workload shares:
 * private subnets without public IPs and PLATFORM_DEPLOYMENT_CONFIGURATION.
 */
export function platformFargateService(scope: Construct, id: string, props: PlatformFargateServiceProps): ecs.FargateService {
  return new ecs.FargateService(scope, id, {
    cluster: AwsPlatform.of(scope).cluster,
    taskDefinition: props.taskDefinition,
    desiredCount: props.desiredCount,
    minHealthyPercent: PLATFORM_DEPLOYMENT_CONFIGURATION.minimumHealthyPercent,
    maxHealthyPercent: PLATFORM_DEPLOYMENT_CONFIGURATION.maximumPercent,
    circuitBreaker: PLATFORM_DEPLOYMENT_CONFIGURATION.deploymentCircuitBreaker,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [props.securityGroup],
    assignPublicIp: false,
    healthCheckGracePeriod: props.healthCheckGracePeriod,
    availabilityZoneRebalancing: props.zoneRebalancing ? ecs.AvailabilityZoneRebalancing.ENABLED : undefined,
    enableECSManagedTags: true,
    propagateTags: ecs.PropagatedTagSource.SERVICE,
  });
}
