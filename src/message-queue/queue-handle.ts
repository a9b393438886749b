import { Endpoint } from '../platform/endpoint';
import { MetricsSource } from '../platform/metrics';
import { NetworkPeer } from '../platform/network';
import { IPlatformClient } from '../platform/platform-client';

/** What a renderer hands back to the construct: resources plus target-specific wiring. */
export interface QueueHandle<R> {
  readonly resources: R;
  /** Where AMQP clients connect (Kubernetes); undefined on AWS, where clients use the queue URLs. */
  readonly endpoint?: Endpoint;
  readonly metricsSource?: MetricsSource;
  /** Names (Kubernetes) or URLs (AWS) of the work queues, highest priority first. */
  readonly queueAddresses: string[];
  allowFrom(peer: NetworkPeer): void;
  allowMetricsFrom(peer: NetworkPeer): void;
  /** Lets `client` publish and/or consume, and hands it the queue's coordinates. */
  grant(client: IPlatformClient, publish: boolean, consume: boolean, envPrefix: string): void;
}
