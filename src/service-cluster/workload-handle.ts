import { SidecarSpec } from './sidecars';
import { DeploymentGate } from '../platform/deployment-gate';
import { EcsTasks } from '../platform/ecs-tasks';
import { Endpoint } from '../platform/endpoint';
import { NetworkPeer } from '../platform/network';
import { PlatformSecret } from '../platform/secret';

/** What a renderer hands back to the construct: resources plus target-specific mutators. */
export interface WorkloadHandle<R> {
  readonly resources: R;
  readonly endpoint: Endpoint;
  readonly networkIdentity: NetworkPeer;
  /** On AWS: the tasks, for collectors that scrape each one. */
  readonly ecsTasks?: EcsTasks;
  /** Where the observability stack gates deployments by the SLO; undefined when nothing gates them. */
  readonly deploymentGate?: DeploymentGate;
  addEnvironment(name: string, value: string): void;
  addSecret(name: string, secret: PlatformSecret): void;
  /** Adds a container beside the application's (validated by the construct). */
  addSidecar(sidecar: SidecarSpec): void;
  allowFrom(peer: NetworkPeer): void;
  /** Admits `peer` to the metrics port alone. */
  allowMetricsFrom(peer: NetworkPeer): void;
}
