import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MessageQueue, QueueWorker } from '../../src/message-queue';
import { ServiceCluster } from '../../src/service-cluster';

/**
 * Orders flow through a queue to background workers, written once. The orders service publishes;
 * the fulfilment worker consumes, urgent orders first (two priority levels), and scales on the
 * backlog; a message that fails four times lands in the dead-letter queue.
 *
 * Under a Stack: SQS queues and a dead-letter queue (KMS, TLS only), IAM grants, a Fargate worker
 * scaled by target tracking on backlog per task. Under a Chart: a three-node RabbitMQ cluster with
 * quorum queues, one broker user per application (passwords in Secrets `orders-user-<app>`), a
 * Deployment scaled by a KEDA ScaledObject, and NetworkPolicies.
 */
export function defineMessageQueue(scope: Construct): void {
  const orders = new MessageQueue(scope, 'Orders', {
    maxReceiveCount: 4,
    priorityLevels: 2,
    visibilityTimeout: Duration.minutes(2),
    retentionPeriod: Duration.days(4),
  });
  const api = new ServiceCluster(scope, 'OrdersApi', { image: 'ghcr.io/acme/orders:4.1.0' });
  orders.grantSend(api);
  new QueueWorker(scope, 'Fulfilment', {
    image: 'ghcr.io/acme/fulfilment:2.0.3',
    queue: orders,
    healthCheckCommand: ['/app/fulfilment', 'healthcheck'],
    maxReplicas: 20,
    targetBacklogPerReplica: 50,
    shutdownGracePeriod: Duration.seconds(90),
  });
}
