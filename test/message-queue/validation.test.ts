import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { MessageQueue, MessageQueueProps, QueueWorker } from '../../src/message-queue';
import { ServiceCluster } from '../../src/service-cluster';
import { awsStack, kubernetesChart, manifestsOf } from '../util';

const onAws = (props: MessageQueueProps) => () => new MessageQueue(awsStack(), 'Orders', props);
const onKubernetes = (props: MessageQueueProps) => () => new MessageQueue(kubernetesChart(), 'Orders', props);

describe('MessageQueue validation', () => {
  test.each([
    ['queueName', { queueName: 'Orders_Queue' }, 'Platform/Orders: queueName is not a DNS label of at most 40 characters (got "Orders_Queue"): use 1-40 lowercase letters'],
    ['maxReceiveCount', { maxReceiveCount: 0 }, 'Platform/Orders: maxReceiveCount is out of range (got 0): use an integer from 1 to 1000 (SQS\'s limit, on both targets)'],
    ['retentionPeriod', { retentionPeriod: Duration.days(15) }, 'Platform/Orders: retentionPeriod is out of range (got "1296000 seconds"): use whole seconds from 60 seconds to 14 days'],
    ['deadLetterRetentionPeriod', { deadLetterRetentionPeriod: Duration.seconds(30) }, 'Platform/Orders: deadLetterRetentionPeriod is out of range (got "30 seconds")'],
    ['visibilityTimeout', { visibilityTimeout: Duration.hours(13) }, 'Platform/Orders: visibilityTimeout is out of range (got "46800 seconds"): use whole seconds from 1 second to 12 hours'],
    ['priorityLevels', { priorityLevels: 11 }, 'Platform/Orders: priorityLevels is out of range (got 11): use an integer from 1 to 10: one queue per level'],
    ['removalPolicy', { removalPolicy: RemovalPolicy.SNAPSHOT }, 'Platform/Orders: removalPolicy cannot be SNAPSHOT (got "snapshot"): queues have no snapshots'],
  ])('%s on both targets', (_prop, props, message) => {
    expect(onAws(props as MessageQueueProps)).toThrow(message);
    expect(onKubernetes(props as MessageQueueProps)).toThrow(message.replace('Platform/Orders', 'platform/Orders'));
  });

  test('fifo fails on kubernetes, which cannot honour it, and renders on aws', () => {
    expect(onKubernetes({ fifo: true })).toThrow('platform/Orders: fifo is not supported on kubernetes (got true): ' +
      'RabbitMQ has no message groups or deduplication; remove fifo, or render to aws (SQS FIFO queue)');
    expect(onAws({ fifo: true })).not.toThrow();
  });

  test.each([
    ['kubernetes.nodes', { nodes: 4 }, 'platform/Orders: kubernetes.nodes must be an odd number from 3 to 9 (got 4): quorum queues need a majority'],
    ['kubernetes.nodes', { nodes: 1 }, 'kubernetes.nodes must be an odd number from 3 to 9 (got 1)'],
    ['kubernetes.image', { image: 'rabbitmq:latest' }, 'platform/Orders: kubernetes.image is not pinned (got "rabbitmq:latest")'],
    ['kubernetes.cpu', { cpu: 0 }, 'platform/Orders: kubernetes.cpu is out of range (got 0)'],
    ['kubernetes.memory', { memory: Size.mebibytes(128) }, 'platform/Orders: kubernetes.memory is too small (got "128 MiB"): use at least 256 MiB'],
    ['kubernetes.storage', { storage: Size.mebibytes(512) }, 'platform/Orders: kubernetes.storage is too small (got "512 MiB"): use at least 1 GiB'],
  ])('%s on kubernetes', (_prop, kubernetes, message) => {
    expect(onKubernetes({ kubernetes })).toThrow(message);
  });

  test('every problem is reported at once', () => {
    expect(onAws({ maxReceiveCount: 0, priorityLevels: 0 })).toThrow(/^2 problems:\n {2}- .*maxReceiveCount[^]*priorityLevels/);
  });
});

describe('names another construct already emits fail on both targets', () => {
  const bothTargets = [['aws', awsStack], ['kubernetes', kubernetesChart]] as const;
  // AWS claims names at construction; the Kubernetes check runs over the whole Chart at synthesis.
  const synth = (root: Construct) => Chart.isChart(root) ? manifestsOf(root) : Template.fromStack(root as Stack);

  test.each(bothTargets)('two queues of one name on %s', (_target, scope) => {
    const root = scope();
    new MessageQueue(root, 'Orders', { queueName: 'orders' });
    const second = () => {
      new MessageQueue(root, 'MoreOrders', { queueName: 'orders' });
      synth(root);
    };
    expect(second).toThrow(/MoreOrders: .*"(shop\/)?orders" is already emitted by \w+\/Orders:/);
  });

  test.each(bothTargets)('a worker named like a service on %s', (_target, scope) => {
    const root = scope();
    const queue = new MessageQueue(root, 'Jobs', {});
    new ServiceCluster(root, 'Fulfilment', { image: 'ghcr.io/acme/fulfilment-api:1.0.0' });
    const worker = () => {
      new QueueWorker(root, 'FulfilmentWorker', { serviceName: 'fulfilment', image: 'ghcr.io/acme/fulfilment:1.0.0', queue, healthCheckCommand: ['/app/worker', 'healthcheck'] });
      synth(root);
    };
    expect(worker).toThrow(/FulfilmentWorker: .*"(shop\/)?fulfilment" is already emitted by \w+\/Fulfilment:/);
  });
});

describe('a worker sets each variable once, as a service does', () => {
  test.each([['aws', awsStack], ['kubernetes', kubernetesChart]] as const)('on %s', (_target, scope) => {
    const root = scope();
    const queue = new MessageQueue(root, 'Jobs', {});
    const worker = new QueueWorker(root, 'Fulfilment', {
      image: 'ghcr.io/acme/fulfilment:1.0.0', queue, healthCheckCommand: ['/app/worker', 'healthcheck'], environment: { REGION: 'eu' },
    });
    expect(() => worker.addEnvironment('REGION', 'us')).toThrow(/Fulfilment: environment.REGION .*set each variable once|REGION.*already/);
    expect(() => worker.addEnvironment('API_TOKEN', 'abc')).toThrow(/environment.API_TOKEN is named like a credential/);
    expect(() => worker.addEnvironment('TOKEN_URL', 'https://auth.example.com/token')).not.toThrow();
  });
});
