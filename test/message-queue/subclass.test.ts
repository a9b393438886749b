import { Duration, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MessageQueue, MessageQueueAwsResources, MessageQueueKubernetesResources, MessageQueueProps } from '../../src/message-queue';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** An organisation's queue: longer visibility by default, a cost-centre tag on AWS, an annotation on Kubernetes. */
class AcmeQueue extends MessageQueue {
  public static readonly hooks: string[] = [];

  protected applyDefaults(props: MessageQueueProps): MessageQueueProps {
    return { visibilityTimeout: Duration.minutes(2), ...props };
  }

  protected configureAws(resources: MessageQueueAwsResources): void {
    AcmeQueue.hooks.push('aws');
    for (const queue of [...resources.queues, resources.deadLetterQueue]) Tags.of(queue).add('cost-centre', 'orders');
  }

  protected configureKubernetes(resources: MessageQueueKubernetesResources): void {
    AcmeQueue.hooks.push('kubernetes');
    resources.statefulSet.metadata.addAnnotation('acme.example/owner', 'orders-team');
  }
}

describe('MessageQueue subclass', () => {
  test('applyDefaults and configureAws', () => {
    const stack = awsStack();
    new AcmeQueue(stack, 'Orders');
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { VisibilityTimeout: 120 }, 1);
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { Tags: [{ Key: 'cost-centre', Value: 'orders' }] }, 2);
    expect(AcmeQueue.hooks).toContain('aws');
  });

  test('applyDefaults and configureKubernetes; the caller still wins over the defaults', () => {
    const chart = kubernetesChart();
    new AcmeQueue(chart, 'Orders', { visibilityTimeout: Duration.minutes(5) });
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'ConfigMap', 'orders-config').data['rabbitmq.conf']).toContain('consumer_timeout = 300000');
    expect(findObject(manifests, 'StatefulSet', 'orders').metadata.annotations).toEqual({ 'acme.example/owner': 'orders-team' });
    expect(AcmeQueue.hooks).toContain('kubernetes');
  });
});
