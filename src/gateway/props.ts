import { Duration, Size } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CorsOptions } from './policies/cors';
import { JwtOptions } from './policies/jwt';
import { RoutePolicyOptions } from './policies/route-policies';
import { SecurityHeadersOptions } from './policies/security-headers';
import { GatewayRoute } from './route';
import { TlsSource } from './tls-source';

/**
 * Where the gateway sends traces (OpenTelemetry over HTTP).
 */
export interface GatewayTracingOptions {
  /** OTLP/HTTP traces endpoint, e.g. `http://otel-collector:4318/v1/traces`. */
  readonly otlpEndpoint: string;
  /**
   * Share of requests traced (0-1).
   *
   * @default 0.1
   */
  readonly sampleRate?: number;
}

/**
 * AWS-only tuning of a Gateway; ignored when rendering to Kubernetes.
 */
export interface GatewayAwsOptions {
  /**
   * Certificate of the HTTPS listener.
   *
   * @default a new certificate for domainName, validated through `hostedZone`
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Hosted zone that validates a new certificate (and gets an alias record for domainName).
   *
   * @default none: `certificate` is then required
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * Requests one client IP may send in 5 minutes before the web ACL blocks it.
   *
   * @default 2000
   */
  readonly wafRequestsPerFiveMinutes?: number;
  /**
   * TLS policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS (TLS 1.2 and 1.3)
   */
  readonly sslPolicy?: elbv2.SslPolicy;
  /**
   * Idle timeout of client connections.
   *
   * @default Duration.seconds(60), or Duration.hours(1) when a route is a WebSocket route
   */
  readonly idleTimeout?: Duration;
  /**
   * Protect the load balancer from deletion.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * Kubernetes-only tuning of a Gateway; ignored when rendering to AWS.
 */
export interface GatewayKubernetesOptions {
  /** Where the TLS certificate comes from (HTTPS is mandatory, so there is no default). */
  readonly tls: TlsSource;
  /**
   * Annotations of the LoadBalancer Service (cloud load balancer settings).
   *
   * @default none
   */
  readonly serviceAnnotations?: { [key: string]: string };
  /**
   * Client address ranges the cloud load balancer admits.
   *
   * @default any address
   */
  readonly loadBalancerSourceRanges?: string[];
}

/**
 * Props of a Gateway: the public HTTPS entry point of the platform, routing to services with
 * authentication, CORS, rate limits, circuit breakers and retries. The same props mean the same
 * thing on AWS and on Kubernetes.
 */
export interface GatewayProps extends RoutePolicyOptions {
  /**
   * Public host name, e.g. `api.example.com`: the certificate's name and the default host of every route.
   *
   * @default routes match any host
   */
  readonly domainName?: string;
  /**
   * Routes; more can be added with `addRoute`.
   *
   * @default none
   */
  readonly routes?: GatewayRoute[];
  /**
   * Name of the gateway in DNS, logs and metrics (a DNS label).
   *
   * @default the construct id in kebab-case
   */
  readonly gatewayName?: string;
  /**
   * JWT authentication on every route (routes opt out with `disable: [GatewayPolicy.JWT]`).
   *
   * @default no authentication
   */
  readonly jwt?: JwtOptions;
  /**
   * CORS on every route.
   *
   * @default no CORS headers
   */
  readonly cors?: CorsOptions;
  /**
   * Security headers (HSTS, nosniff, frame deny, referrer policy) on every answer.
   *
   * @default HSTS one year with subdomains, nosniff, frame deny, strict-origin-when-cross-origin
   */
  readonly securityHeaders?: SecurityHeadersOptions;
  /**
   * Compress responses (gzip, brotli, zstd) when clients accept it.
   *
   * @default true
   */
  readonly compression?: boolean;
  /**
   * How long an upstream may take to send its response headers.
   *
   * @default Duration.seconds(30)
   */
  readonly requestTimeout?: Duration;
  /**
   * OTLP tracing.
   *
   * @default no tracing
   */
  readonly tracing?: GatewayTracingOptions;
  /**
   * Traefik image, pinned. On AWS its start script needs `/bin/sh`, `base64` and `gunzip` (the
   * official Alpine-based image has them): the configuration arrives compressed in the environment.
   *
   * @default 'traefik:v3.5.3'
   */
  readonly image?: string;
  /**
   * Fewest gateway replicas.
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1, with a warning)
   */
  readonly minReplicas?: number;
  /**
   * Most gateway replicas.
   *
   * @default 10 (PlatformProfile.DEVELOPMENT: 3)
   */
  readonly maxReplicas?: number;
  /**
   * vCPUs per replica.
   *
   * @default 0.5 (PlatformProfile.DEVELOPMENT: 0.25)
   */
  readonly cpu?: number;
  /**
   * Memory per replica.
   *
   * @default Size.mebibytes(1024) (PlatformProfile.DEVELOPMENT: 512 MiB)
   */
  readonly memory?: Size;
  /**
   * Average CPU utilization autoscaling keeps replicas at.
   *
   * @default 60
   */
  readonly targetCpuUtilization?: number;
  /**
   * AWS-only tuning.
   *
   * @default none
   */
  readonly aws?: GatewayAwsOptions;
  /**
   * Kubernetes-only tuning.
   *
   * @default none
   */
  readonly kubernetes?: GatewayKubernetesOptions;
}
