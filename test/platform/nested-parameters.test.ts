import { CfnStack, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { privateSubnetIdsIn } from '../../src/platform/nested-parameters';
import { awsStack } from '../util';

function platformVpc() {
  const stack = awsStack();
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 3 }) };
}

describe('privateSubnetIdsIn', () => {
  test('in a nested stack: one typed list parameter, passed the joined subnet IDs by the parent', () => {
    const { stack, vpc } = platformVpc();
    const nested = new NestedStack(stack, 'Service');

    const ids = privateSubnetIdsIn(nested, vpc);
    expect(privateSubnetIdsIn(nested, vpc)).toEqual(ids);

    const template = nested.resolve((nested as any)._toCloudFormation());
    expect(template.Parameters).toEqual({
      PrivateSubnetIds: { Type: 'List<AWS::EC2::Subnet::Id>', Description: 'Private subnets with egress of Platform/Vpc' },
    });
    expect(nested.resolve(ids)).toEqual({ Ref: 'PrivateSubnetIds' });
    const parameters = stack.resolve((nested.nestedStackResource as CfnStack).parameters);
    expect(parameters.PrivateSubnetIds).toEqual({
      'Fn::Join': [',', vpc.privateSubnets.map(subnet => stack.resolve(subnet.subnetId))],
    });
  });

  test('in the VPC\'s own stack: the subnet IDs themselves', () => {
    const { stack, vpc } = platformVpc();
    expect(stack.resolve(privateSubnetIdsIn(stack, vpc))).toEqual(stack.resolve(vpc.privateSubnets.map(subnet => subnet.subnetId)));
    expect(Stack.of(vpc).node.tryFindChild('PrivateSubnetIds')).toBeUndefined();
  });
});
