import { TLS_DIR } from './kubernetes-pod';
import { jwtVerifierAddress } from './policies/jwt';
import { GatewaySpec } from './spec';
import { PlatformTarget } from '../platform/target';

/** Target facts the Traefik configuration depends on, so that it means the same on both targets. */
export interface TraefikTargetOptions {
  /**
   * Proxies in front of Traefik that append to X-Forwarded-For (1 behind the AWS load balancer, 0
   * behind a Kubernetes LoadBalancer Service with externalTrafficPolicy Local).
   */
  readonly trustedProxyHops: number;
  /** Address of the JWT verifier Traefik calls with forwardAuth; undefined when the edge verifies. */
  readonly jwtVerifierAddress?: string;
  /** Certificate files Traefik serves; undefined serves Traefik's generated certificate (behind a TLS-terminating edge). */
  readonly defaultCertificate?: { readonly certFile: string; readonly keyFile: string };
}

/**
 * The one place the target facts are decided: the renderers and `Gateway.traefikDynamicConfig()`
 * all render the dynamic configuration with these.
 */
export function traefikTargetOptions(spec: GatewaySpec, target: PlatformTarget): TraefikTargetOptions {
  const aws = target === PlatformTarget.AWS;
  return {
    trustedProxyHops: aws ? 1 : 0,
    jwtVerifierAddress: jwtVerifierAddress(spec.jwt),
    // On AWS the load balancer terminates the public certificate; on Kubernetes Traefik serves the mounted one.
    defaultCertificate: aws ? undefined : { certFile: `${TLS_DIR}/tls.crt`, keyFile: `${TLS_DIR}/tls.key` },
  };
}

/** How a middleware that judges the client address finds it: the Nth from the right of X-Forwarded-For, the one the edge appended. */
export function ipStrategy(options: TraefikTargetOptions): Record<string, unknown> | undefined {
  return options.trustedProxyHops > 0 ? { depth: options.trustedProxyHops } : undefined;
}

export function seconds(value: number): string {
  return `${value}s`;
}
