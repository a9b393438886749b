import { GatewaySpec } from './spec';
import { ROUTE_ENTRY_POINT } from './traefik-config';

/** Container ports (≥ 1024: Traefik runs as non-root). */
export const TRAEFIK_PORTS = { web: 8000, websecure: 8443, ping: 8082, metrics: 9100 };
/** Ports clients use: the Kubernetes Service's and the AWS load balancer's listeners. */
export const PUBLIC_PORTS = { http: 80, https: 443 };
/** Where the dynamic configuration file lives in the container. */
export const DYNAMIC_CONFIG_DIR = '/etc/traefik/dynamic';
export const DYNAMIC_CONFIG_FILE = 'dynamic.yaml';

export interface TraefikStaticOptions {
  /** Addresses whose X-Forwarded-* headers Traefik keeps (the edge load balancer's network). */
  readonly trustedIps: string[];
  /** Directory of the dynamic configuration file. */
  readonly dynamicConfigDir: string;
  /** The HTTPS port clients reach (the Service or load balancer port, not websecure's container port). */
  readonly publicHttpsPort: number;
}

/**
 * The Traefik v3 static configuration (traefik.yaml): entry points (web redirects to the public HTTPS port),
 * ping, Prometheus metrics, JSON access logs, OTLP tracing and the file provider. Pure.
 */
export function renderTraefikStaticConfig(spec: GatewaySpec, options: TraefikStaticOptions): Record<string, any> {
  const p = TRAEFIK_PORTS;
  const forwardedHeaders = options.trustedIps.length > 0 ? { forwardedHeaders: { trustedIPs: options.trustedIps } } : {};
  return {
    global: { checkNewVersion: false, sendAnonymousUsage: false },
    entryPoints: {
      web: {
        address: `:${p.web}`,
        // A port, not the entry point's name: a name redirects to websecure's container port, which
        // the Service in front of Traefik does not expose.
        http: { redirections: { entryPoint: { to: `:${options.publicHttpsPort}`, scheme: 'https', permanent: true } } },
        ...forwardedHeaders,
      },
      [ROUTE_ENTRY_POINT]: {
        address: `:${p.websecure}`,
        http: { tls: {} },
        ...forwardedHeaders,
        // Finish in-flight requests on shutdown while the load balancer drains the replica.
        transport: { lifeCycle: { requestAcceptGraceTimeout: '5s', graceTimeOut: '25s' } },
      },
      ping: { address: `:${p.ping}` },
      metrics: { address: `:${p.metrics}` },
    },
    ping: { entryPoint: 'ping', terminatingStatusCode: 503 },
    metrics: {
      prometheus: { entryPoint: 'metrics', addEntryPointsLabels: true, addRoutersLabels: true, addServicesLabels: true },
    },
    log: { level: 'INFO', format: 'json' },
    accessLog: {
      format: 'json',
      // Request headers may carry credentials: keep only the harmless ones.
      fields: { headers: { defaultMode: 'drop', names: { 'User-Agent': 'keep', 'X-Request-Id': 'keep' } } },
    },
    ...(spec.tracing ? {
      tracing: { serviceName: spec.name, sampleRate: spec.tracing.sampleRate, otlp: { http: { endpoint: spec.tracing.otlpEndpoint } } },
    } : {}),
    providers: { file: { directory: options.dynamicConfigDir, watch: true } },
  };
}
