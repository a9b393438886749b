import { CfnParameter, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * The VPC's private subnets with egress, as IDs usable in `scope`'s stack.
 *
 * In a nested stack they arrive as one `List<AWS::EC2::Subnet::Id>` parameter rather than the one
 * untyped parameter per subnet that the CDK's automatic cross-stack references create: CloudFormation
 * checks that the IDs are subnets, and each of a platform's hundreds of service templates has two
 * elements fewer to synthesize.
 */
export function privateSubnetIdsIn(scope: Construct, vpc: ec2.IVpc): string[] {
  const subnetIds = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
  const stack = Stack.of(scope);
  if (!(stack instanceof NestedStack) || Stack.of(vpc) === stack) return subnetIds;
  const name = 'PrivateSubnetIds';
  const existing = stack.node.tryFindChild(name);
  if (existing instanceof CfnParameter) return existing.valueAsList;
  const parameter = new CfnParameter(stack, name, {
    type: 'List<AWS::EC2::Subnet::Id>',
    description: `Private subnets with egress of ${vpc.node.path}`,
  });
  parameter.overrideLogicalId(name);
  stack.setParameter(name, Fn.join(',', subnetIds));
  return parameter.valueAsList;
}
