import { Construct } from 'constructs';
import { albRuleCount, MAX_ALB_RULES } from './alb-jwt-rules';
import { renderGatewayOnAws } from './aws';
import { GatewayHandle } from './gateway-handle';
import { renderGatewayOnKubernetes } from './kubernetes';
import { gatewayHttpSource } from './metrics';
import { GatewayProps } from './props';
import { GatewayAwsResources, GatewayKubernetesResources } from './resources';
import { GatewayRoute } from './route';
import { resolveRouteSpec, RouteSpec } from './route-spec';
import { validateRoute } from './route-validation';
import { GatewaySpec, resolveGatewaySpec } from './spec';
import { renderTraefikDynamicConfig, traefikConfigAsData } from './traefik-config';
import { TRAEFIK_PORTS } from './traefik-static-config';
import { traefikTargetOptions } from './traefik-target';
import { TraefikDynamicConfig } from './traefik-types';
import { gatewayWarnings, validateGateway } from './validation';
import { AccessPurpose, AllowFromOptions, requestedPurpose } from '../platform/access-purpose';
import { Endpoint } from '../platform/endpoint';
import { invalidPropMessage, throwIfInvalid } from '../platform/errors';
import { errorRateMetric, latencyMetric, requestRateMetric } from '../platform/http-metrics';
import { MetricsSource } from '../platform/metrics';
import { dnsLabelFromId } from '../platform/names';
import { INetworkPeer, NetworkPeer } from '../platform/network';
import { PlatformMetric, prometheusSeries } from '../platform/platform-metric';
import { PlatformProfile } from '../platform/profile';
import { PlatformTarget } from '../platform/target';
import { PlatformTopology } from '../platform/topology';
import { platformWarning } from '../platform/warnings';

/**
 * The platform's public HTTPS entry point: a Traefik v3 API gateway routing by host, path, header
 * and method to ServiceClusters or external URLs, with JWT authentication, CORS, rate limits
 * (optionally shared through Redis), circuit breakers, retries, body limits, IP allow lists,
 * security headers and compression.
 *
 * Under an aws-cdk-lib `Stack` it renders an internet-facing ALB (ACM certificate, HTTP→HTTPS,
 * WAFv2 web ACL, access logs) in front of Traefik on Fargate; under a cdk8s `Chart` a Traefik
 * Deployment behind a LoadBalancer Service with PDB, HPA and NetworkPolicy. Both load the same
 * Traefik dynamic configuration, rendered at synth time so `addRoute` works after construction.
 *
 * Subclass it to set organisation-wide defaults (`applyDefaults`) or to adjust what is rendered
 * (`configureAws`, `configureKubernetes`).
 */
export class Gateway extends Construct implements INetworkPeer {
  /** Name in DNS, logs and metrics. */
  public readonly gatewayName: string;
  /** Which target this gateway rendered to. */
  public readonly target: PlatformTarget;
  /** Where clients reach the gateway (`https://<domainName>`). */
  public readonly endpoint: Endpoint;
  /** Where Traefik's Prometheus metrics are, for the observability stack. */
  public readonly metricsSource: MetricsSource;
  /** Network identity of the Traefik replicas, for upstreams' and stores' `allowFrom`. */
  public readonly networkIdentity: NetworkPeer;
  /** AWS resources; undefined on Kubernetes. */
  public readonly aws?: GatewayAwsResources;
  /** Kubernetes objects; undefined on AWS. */
  public readonly kubernetes?: GatewayKubernetesResources;
  private readonly spec: GatewaySpec;
  private readonly routeSpecs: RouteSpec[] = [];
  private readonly handle: GatewayHandle<unknown>;

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    this.target = PlatformTarget.of(this);
    const effective = this.applyDefaults(props);
    const profile = PlatformProfile.of(this);
    this.spec = resolveGatewaySpec(effective.gatewayName ?? dnsLabelFromId(id), effective, profile);
    throwIfInvalid(validateGateway(this, this.spec, this.target, effective.aws, effective.kubernetes));
    gatewayWarnings(this.spec, profile).forEach(w => platformWarning(this, w.id, w.message));
    this.gatewayName = this.spec.name;
    // Check every initial route before rendering anything.
    const initial = (effective.routes ?? []).map(route => this.checkedRoute(route, []));
    throwIfInvalid(initial.flatMap((r, i) => validateRoute(this, r, this.routeContext(initial.slice(0, i)))));

    const context = { routes: () => this.routeSpecs };
    if (this.target === PlatformTarget.AWS) {
      const handle = renderGatewayOnAws(this, this.spec, effective.aws ?? {}, context);
      this.aws = handle.resources;
      this.handle = handle;
    } else {
      // validateGateway has thrown above unless `kubernetes.tls` is set.
      const handle = renderGatewayOnKubernetes(this, this.spec, effective.kubernetes!, context);
      this.kubernetes = handle.resources;
      this.handle = handle;
    }
    this.endpoint = this.handle.endpoint;
    this.networkIdentity = this.handle.networkIdentity;
    this.metricsSource = {
      job: this.spec.name,
      kind: 'gateway',
      port: TRAEFIK_PORTS.metrics,
      path: '/metrics',
      host: this.handle.metricsHost,
      selector: this.networkIdentity.podLabels ?? {},
      namespace: this.networkIdentity.namespace ?? '',
    };
    PlatformTopology.of(this).addComponent(this, { kind: 'gateway', name: this.spec.name });
    PlatformTopology.of(this).addInternalConnection(this, 'the load balancer to the Traefik tasks');
    PlatformTopology.of(this).addEntryPoint(this, 'the public entry point: clients on the internet');
    this.spec.rateLimit?.store?.allowFrom(this);
    initial.forEach(route => this.register(route));
    if (this.aws) this.configureAws(this.aws, effective);
    if (this.kubernetes) this.configureKubernetes(this.kubernetes, effective);
  }

  /** Names of the routes, in the order they were added. */
  public get routeNames(): string[] {
    return this.routeSpecs.map(r => r.name);
  }

  /**
   * Adds a route. Works after construction: the Traefik configuration is rendered at synth time.
   * The route's services admit the gateway (`allowFrom`).
   */
  public addRoute(route: GatewayRoute): void {
    const spec = this.checkedRoute(route, this.routeSpecs);
    throwIfInvalid(validateRoute(this, spec, this.routeContext(this.routeSpecs)));
    this.register(spec);
  }

  /** The Traefik dynamic configuration as it is now (what the file provider loads), for inspection and tests. */
  public traefikDynamicConfig(): TraefikDynamicConfig {
    // The round trip through JSON only turns environment references (under `any` values) into text: the shape stays.
    return traefikConfigAsData(this._renderTraefikDynamicConfig()) as TraefikDynamicConfig;
  }

  /**
   * The dynamic configuration tree; `traefikConfigYaml` turns it into the file both targets write.
   * @internal
   */
  public _renderTraefikDynamicConfig(): TraefikDynamicConfig {
    return renderTraefikDynamicConfig(this.spec, this.routeSpecs, traefikTargetOptions(this.spec, this.target));
  }

  /**
   * Admits `peer` to one purpose's port. The gateway offers `AccessPurpose.METRICS` alone:
   * Traefik's Prometheus metrics port, and nothing else, for a metrics collector.
   *
   * `AccessPurpose.CLIENT` (the default) is refused with a message: the gateway is the public
   * entry point, so its client ports (HTTPS, and HTTP that redirects to it) are open to every
   * address already, on the internet-facing load balancer (AWS) and on the Traefik pods'
   * NetworkPolicy (Kubernetes). Admitting one peer there would change nothing, and narrowing who
   * may call is done per request with `ipAllowList` (on every route) instead.
   */
  public allowFrom(peer: INetworkPeer, options: AllowFromOptions = {}): void {
    requestedPurpose(this, options, [{ purpose: AccessPurpose.METRICS, opens: 'Traefik\'s metrics port' }], {
      client: 'the gateway is the public entry point: its client ports are open to every address already; ' +
        'restrict callers with the ipAllowList prop',
    });
    this.handle.allowMetricsFrom(peer.networkIdentity);
    PlatformTopology.of(this).addMetricsConnection(this, peer);
  }

  /**
   * Admits `peer` (a metrics collector) to Traefik's Prometheus metrics port, and nothing else.
   *
   * @deprecated use `allowFrom(peer, { purpose: AccessPurpose.METRICS })`
   */
  public allowMetricsFrom(peer: INetworkPeer): void {
    this.allowFrom(peer, { purpose: AccessPurpose.METRICS });
  }

  /**
   * Hook: organisation-wide defaults. Receives the caller's props and returns the props to render
   * (the effective props, which the other hooks receive too). Runs first in the base constructor,
   * before validation and before your subclass's field initialisers.
   *
   * @param props the caller's props
   */
  protected applyDefaults(props: GatewayProps): GatewayProps {
    return props;
  }

  /**
   * Hook: adjusts the AWS resources after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureAws(_resources: GatewayAwsResources, _props: GatewayProps): void {}

  /**
   * Hook: adjusts the Kubernetes objects after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureKubernetes(_resources: GatewayKubernetesResources, _props: GatewayProps): void {}

  private checkedRoute(route: GatewayRoute, existing: readonly RouteSpec[]): RouteSpec {
    const spec = resolveRouteSpec(route, this.spec);
    const rules = [...existing, spec].reduce((n, r) => n + albRuleCount(r), 0);
    if (this.loadBalancerJwt && rules > MAX_ALB_RULES) {
      throwIfInvalid([invalidPropMessage(this, 'routes', 'are too many for load balancer JWT verification', existing.length + 1,
        'with JwtVerifier.loadBalancer() every route is a listener rule, and a CORS route a second one for preflights: ' +
        `use at most ${MAX_ALB_RULES} rules (${rules} needed), or JwtVerifier.sidecar()`)]);
    }
    return spec;
  }

  private routeContext(existing: readonly RouteSpec[]) {
    return { target: this.target, existing, loadBalancerJwt: this.loadBalancerJwt };
  }

  private get loadBalancerJwt(): boolean {
    return this.target === PlatformTarget.AWS && this.spec.jwt?.verifier.kind === 'load-balancer';
  }

  private register(route: RouteSpec): void {
    this.routeSpecs.push(route);
    for (const upstream of route.upstreams) upstream.service?.allowFrom(this);
    const label = route.pathPrefix ?? route.path ?? route.name;
    route.upstreams.filter(u => u.service).forEach(u => PlatformTopology.of(this).addRoute(this, u.service!, label));
    this.handle.onRouteAdded(route);
  }

  /**
   * Any series Traefik exports for this gateway, e.g. `prometheusMetric('traefik_open_connections')`
   * (PromQL `traefik_open_connections{job="<name>"}`), on both targets: the collector scrapes
   * Traefik into Amazon Managed Service for Prometheus on AWS.
   */
  public prometheusMetric(metricName: string): PlatformMetric {
    return prometheusSeries(this, this.metricsSource.job, metricName);
  }

  /** Requests per second over 5 minutes, every route together (on AWS also the load balancer's RequestCount per second). */
  public metricRequestRate(): PlatformMetric {
    return requestRateMetric(gatewayHttpSource(this.metricsSource.job, this.aws?.loadBalancer));
  }

  /**
   * Fraction of requests answered with a 5xx over 5 minutes (0–1): the series `SloErrorRateHigh`
   * alerts on; on AWS also the load balancer's target 5xx count over its request count.
   */
  public metricErrorRate(): PlatformMetric {
    return errorRateMetric(gatewayHttpSource(this.metricsSource.job, this.aws?.loadBalancer));
  }

  /** p99 latency over 5 minutes, in seconds, every route together (on AWS also the load balancer's TargetResponseTime p99). */
  public metricLatencyP99(): PlatformMetric {
    return latencyMetric(gatewayHttpSource(this.metricsSource.job, this.aws?.loadBalancer), 0.99);
  }
}
