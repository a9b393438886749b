import { RouteSpec } from './route-spec';
import { Endpoint } from '../platform/endpoint';
import { NetworkPeer } from '../platform/network';

/** What a renderer hands back to the construct: resources plus target-specific mutators. */
export interface GatewayHandle<R> {
  readonly resources: R;
  /** Where clients reach the gateway. */
  readonly endpoint: Endpoint;
  /** Identity of the Traefik replicas, for upstreams' allowFrom. */
  readonly networkIdentity: NetworkPeer;
  /** Host the metrics of the replicas are scraped at. */
  readonly metricsHost: string;
  /** Called once per route, after validation, in the order routes are added. */
  onRouteAdded(route: RouteSpec): void;
  /** Admits `peer` to the Traefik metrics port only. */
  allowMetricsFrom(peer: NetworkPeer): void;
}

/** Inputs every renderer receives besides the spec. */
export interface GatewayRenderContext {
  /** Every route so far; read at synth time, so routes added after construction are included. */
  readonly routes: () => readonly RouteSpec[];
}
