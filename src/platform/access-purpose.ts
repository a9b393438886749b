import { IConstruct } from 'constructs';
import { invalidPropMessage, PlatformValidationError } from './errors';
import { INetworkPeer, NetworkPeer } from './network';
import { PlatformTopology } from './topology';

/**
 * Which of a construct's ports `allowFrom` opens to a peer. Each construct accepts the purposes it
 * has a port for and refuses the others with a message listing the ones it has.
 */
export class AccessPurpose {
  /** What clients connect to: the construct's primary `endpoint` (the default). */
  public static readonly CLIENT = new AccessPurpose('client');
  /** The Prometheus metrics port alone, for a scraper; never a data or service port. */
  public static readonly METRICS = new AccessPurpose('metrics');
  /** A web UI people sign in to (the observability stack's Grafana). */
  public static readonly UI = new AccessPurpose('ui');

  private constructor(
    /** Name of the purpose, for messages (`client`, `metrics`, `ui`). */
    public readonly purposeName: string,
  ) {}
}

/**
 * Options of `allowFrom`, the same on every construct.
 */
export interface AllowFromOptions {
  /**
   * Which port (or ports) the peer may reach.
   *
   * @default AccessPurpose.CLIENT: the construct's primary endpoint
   */
  readonly purpose?: AccessPurpose;
  /**
   * With `AccessPurpose.UI` on an ObservabilityStack: also open the Jaeger UI, which has no
   * authentication, so anyone admitted reads every trace (URLs, headers, payload attributes).
   * Traces stay readable through Grafana, which signs users in. Set it only when something in
   * front (an authenticating proxy) guards the UI. Refused with any other purpose.
   *
   * @default false
   */
  readonly unauthenticatedJaegerUi?: boolean;
}

/** A purpose a construct offers, and what it opens there (for messages). */
export interface OfferedPurpose {
  readonly purpose: AccessPurpose;
  readonly opens: string;
}

/**
 * The purpose `options` asks for, or a clear error naming the construct, the purpose received and
 * the purposes this construct has. `refusals` explains purposes a construct deliberately does not
 * offer (e.g. a public entry point's client port, open to everyone already).
 */
export function requestedPurpose(
  scope: IConstruct, options: AllowFromOptions, offered: readonly OfferedPurpose[], refusals: { readonly [purpose: string]: string } = {},
): AccessPurpose {
  const purpose = options.purpose ?? AccessPurpose.CLIENT;
  const valid = `${scope.constructor.name} offers ${offered.map(o => `${purposeText(o.purpose)} (${o.opens})`).join(', ')}`;
  if (!offered.some(o => o.purpose === purpose)) {
    const reason = refusals[purpose.purposeName];
    throw new PlatformValidationError(invalidPropMessage(scope, 'allowFrom(options.purpose)',
      reason ? `cannot be ${purposeText(purpose)}: ${reason}` : 'is not a purpose of this construct', purpose.purposeName, valid));
  }
  if (options.unauthenticatedJaegerUi !== undefined && purpose !== AccessPurpose.UI) {
    throw new PlatformValidationError(invalidPropMessage(scope, 'allowFrom(options.unauthenticatedJaegerUi)',
      `applies to ${purposeText(AccessPurpose.UI)} only, not to ${purposeText(purpose)}`, options.unauthenticatedJaegerUi,
      'leave it out, or pass it with purpose: AccessPurpose.UI on an ObservabilityStack'));
  }
  return purpose;
}

function purposeText(purpose: AccessPurpose): string {
  return `AccessPurpose.${purpose.purposeName.toUpperCase()}`;
}

/** What a data construct's Kubernetes or AWS rendering opens for each purpose. */
export interface ClientAndMetricsPorts {
  allowFrom(peer: NetworkPeer): void;
  allowMetricsFrom(peer: NetworkPeer): void;
}

/**
 * `allowFrom(peer, options)` of a construct that offers CLIENT (its endpoint) and METRICS (its
 * exporters): opens the port `options` asks for, and records the path for the access drift check.
 */
export function allowClientOrMetricsFrom(
  scope: IConstruct, ports: ClientAndMetricsPorts, peer: INetworkPeer, options: AllowFromOptions,
  opens: { readonly client: string; readonly metrics: string; readonly protocol: string },
): void {
  const purpose = requestedPurpose(scope, options, [
    { purpose: AccessPurpose.CLIENT, opens: opens.client },
    { purpose: AccessPurpose.METRICS, opens: opens.metrics },
  ]);
  if (purpose === AccessPurpose.METRICS) {
    ports.allowMetricsFrom(peer.networkIdentity);
    PlatformTopology.of(scope).addMetricsConnection(scope, peer);
    return;
  }
  ports.allowFrom(peer.networkIdentity);
  PlatformTopology.of(scope).addNetworkConnection(scope, peer, opens.protocol);
}
