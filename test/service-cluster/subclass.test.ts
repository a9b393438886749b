import { Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ServiceCluster, ServiceClusterAwsResources, ServiceClusterKubernetesResources, ServiceClusterProps } from '../../src';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** An organisation's service: its own defaults, a cost-centre tag/label, and an annotation. */
class AcmeService extends ServiceCluster {
  constructor(scope: Construct, id: string, props: ServiceClusterProps) {
    super(scope, id, props);
  }

  protected applyDefaults(props: ServiceClusterProps): ServiceClusterProps {
    return { minReplicas: 3, cpu: 1, memory: Size.gibibytes(2), ...props, environment: { ORG: 'acme', ...props.environment } };
  }

  protected configureAws(resources: ServiceClusterAwsResources): void {
    resources.taskDefinition.node.addMetadata('cost-centre', 'platform');
    resources.service.node.addMetadata('owner', 'acme');
  }

  protected configureKubernetes(resources: ServiceClusterKubernetesResources): void {
    resources.deployment.metadata.addAnnotation('acme.example/owner', 'platform-team');
  }
}

describe('subclassing ServiceCluster', () => {
  test('org defaults apply on AWS, and the caller still wins', () => {
    const stack = awsStack();
    const users = new AcmeService(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    const orders = new AcmeService(stack, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0', minReplicas: 4, cpu: 2, memory: Size.gibibytes(4) });
    const template = Template.fromStack(users.aws!.stack);
    const caller = Template.fromStack(orders.aws!.stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
    caller.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '4096' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3 });
    caller.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 4 });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: [{ Name: 'ORG', Value: 'acme' }] })],
    });
    expect(stack.node.findAll().some(c => c.node.metadata.some(m => m.type === 'owner'))).toBe(true);
  });

  test('org defaults and the Kubernetes hook apply on Kubernetes', () => {
    const chart = kubernetesChart();
    new AcmeService(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    const manifests = manifestsOf(chart);
    const deployment = findObject(manifests, 'Deployment', 'users');
    expect(deployment.metadata.annotations).toEqual({ 'acme.example/owner': 'platform-team' });
    expect(deployment.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '1000m', memory: '2048Mi' });
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'ORG', value: 'acme' });
    expect(findObject(manifests, 'HorizontalPodAutoscaler', 'users').spec.minReplicas).toBe(3);
  });

  test('validation still applies to what the defaults produce', () => {
    class Broken extends ServiceCluster {
      protected applyDefaults(props: ServiceClusterProps): ServiceClusterProps {
        return { ...props, port: 80 };
      }
    }
    expect(() => new Broken(kubernetesChart(), 'Users', { image: 'ghcr.io/acme/users:1.4.2' })).toThrow(/Users: port is out of range/);
  });
});
