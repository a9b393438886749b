import * as iam from 'aws-cdk-lib/aws-iam';
import { INetworkPeer } from './network';
import { PlatformSecret } from './secret';
import { EnvironmentVariableOptions } from '../service-cluster/props';

/**
 * A workload a data construct can wire with its `connect` (and a queue with its grants): a
 * `ServiceCluster`, a `QueueWorker`, or a workload of your own. The construct admits it on the
 * network, grants it IAM access on AWS or a user of its own on Kubernetes, and hands it the
 * coordinates as environment and secret references, so a store never reaches into the workload's
 * task definition or manifests.
 */
export interface IPlatformClient extends INetworkPeer, iam.IGrantable {
  /** Name of the workload (a DNS label), also its user name in the stores and the broker. */
  readonly serviceName: string;
  /** Adds a plain environment variable; a name already set is refused. */
  addEnvironment(name: string, value: string, options?: EnvironmentVariableOptions): void;
  /** Adds an environment variable read from a secret at start-up. */
  addSecret(name: string, secret: PlatformSecret): void;
  /** Mounts a Secret key as a read-only file at `<directory>/<key>` and returns the path (Kubernetes only). */
  addSecretFile(secret: PlatformSecret, directory: string): string;
}
