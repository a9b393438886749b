import * as iam from 'aws-cdk-lib/aws-iam';
import { INetworkPeer } from './network';
import { PlatformSecret } from './secret';
import { EnvironmentVariableOptions } from '../service-cluster/props';

/**
 * A workload that can be granted access to a message queue: a `ServiceCluster` or a `QueueWorker`.
 * The grant reaches it as IAM on AWS, and as a broker user, credentials and NetworkPolicies on
 * Kubernetes; the queue's coordinates arrive as environment and secret references.
 */
export interface IQueueClient extends INetworkPeer, iam.IGrantable {
  /** Name of the workload (a DNS label), also its broker user name on Kubernetes. */
  readonly serviceName: string;
  /** Adds a plain environment variable; a name already set is refused. */
  addEnvironment(name: string, value: string, options?: EnvironmentVariableOptions): void;
  /** Adds an environment variable read from a secret at start-up. */
  addSecret(name: string, secret: PlatformSecret): void;
  /** Mounts a Secret key as a read-only file at `<directory>/<key>` and returns the path (Kubernetes only). */
  addSecretFile(secret: PlatformSecret, directory: string): string;
}
