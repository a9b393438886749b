import { NetworkPeer } from '../platform/network';
import { PlatformSecret } from '../platform/secret';

/** What a worker renderer hands back to the construct. */
export interface WorkerHandle<R> {
  readonly resources: R;
  readonly networkIdentity: NetworkPeer;
  addEnvironment(name: string, value: string): void;
  addSecret(name: string, secret: PlatformSecret): void;
}
