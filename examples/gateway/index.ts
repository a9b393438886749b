import { Duration, Size } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { Gateway, GatewayPolicy, RateLimitKey, RouteTarget, TlsSource } from '../../src/gateway';
import { ServiceCluster } from '../../src/service-cluster';

/** Context key of the certificate ARN on AWS. */
export const CERTIFICATE_CONTEXT = 'gateway-example:certificateArn';
const EXAMPLE_CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/5f0c6a8e-3c1b-4d2e-9f70-1a2b3c4d5e6f';

/**
 * The public API of a small platform, written once: `api.example.com` routes versioned user APIs
 * (by path and by the `X-API-Version` header), a 90/10 canary, a WebSocket service, an external
 * payments API and an admin API open to the office only, behind JWT, CORS, rate limits, a circuit
 * breaker, retries, a body limit, security headers and compression. Under a Stack: an ALB with WAF
 * in front of Traefik on Fargate; under a Chart: Traefik behind a LoadBalancer Service.
 */
export function defineGateway(scope: Construct): Gateway {
  const usersV1 = new ServiceCluster(scope, 'UsersV1', { image: 'ghcr.io/acme/users:1.9.4' });
  const usersV2 = new ServiceCluster(scope, 'UsersV2', { image: 'ghcr.io/acme/users:2.0.3' });
  const usersV2Canary = new ServiceCluster(scope, 'UsersV2Canary', { image: 'ghcr.io/acme/users:2.1.0-rc.1', minReplicas: 2, maxReplicas: 2 });
  const realtime = new ServiceCluster(scope, 'Realtime', { image: 'ghcr.io/acme/realtime:1.2.0' });
  const admin = new ServiceCluster(scope, 'Admin', { image: 'ghcr.io/acme/admin:0.9.1', minReplicas: 2, maxReplicas: 2 });
  const usersV2Split = RouteTarget.weighted([{ service: usersV2, weight: 90 }, { service: usersV2Canary, weight: 10 }]);

  const gateway = new Gateway(scope, 'Api', {
    domainName: 'api.example.com',
    jwt: {
      issuer: 'https://auth.example.com/',
      jwksUrl: 'https://auth.example.com/.well-known/jwks.json',
      audiences: ['https://api.example.com'],
    },
    cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, exposeHeaders: ['X-Request-Id'], maxAge: Duration.hours(1) },
    rateLimit: { average: 100, burst: 200, period: Duration.seconds(1) },
    circuitBreaker: { networkErrorRatio: 0.3, serverErrorRatio: 0.25, latencyThreshold: Duration.millis(800) },
    retry: { attempts: 3, initialInterval: Duration.millis(100) },
    maxRequestBodySize: Size.mebibytes(5),
    securityHeaders: { hstsMaxAge: Duration.days(365), contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'" },
    compression: true,
    // Your ACM certificate for api.example.com, e.g. from cdk.json context.
    aws: { certificate: acm.Certificate.fromCertificateArn(scope, 'ApiCertificate', scope.node.tryGetContext(CERTIFICATE_CONTEXT) ?? EXAMPLE_CERTIFICATE) },
    kubernetes: { tls: TlsSource.certManager({ issuerName: 'letsencrypt-prod' }) },
    routes: [
      // Versioning by path…
      { name: 'users-v1', pathPrefix: '/v1/users', target: RouteTarget.service(usersV1) },
      { name: 'users-v2', pathPrefix: '/v2/users', target: usersV2Split, stickySessions: true },
      // …and by header, on an unversioned path.
      { name: 'users-v2-by-header', pathPrefix: '/users', headers: { 'X-API-Version': '2' }, target: usersV2Split, stickySessions: true },
      { name: 'users-by-header', pathPrefix: '/users', target: RouteTarget.service(usersV1) },
      // Partners are limited per API key rather than per address.
      {
        name: 'partner-users',
        pathPrefix: '/partner/v1/users',
        stripPrefix: true,
        target: RouteTarget.service(usersV1),
        rateLimit: { average: 20, burst: 40, key: RateLimitKey.header('X-Api-Key') },
      },
      { name: 'realtime', pathPrefix: '/ws', websocket: true, target: RouteTarget.service(realtime) },
      {
        name: 'payments',
        pathPrefix: '/v1/payments',
        stripPrefix: true,
        timeout: Duration.seconds(10),
        target: RouteTarget.url('https://api.payments.example.net'),
        methods: ['GET', 'POST'],
      },
      { name: 'admin', pathPrefix: '/admin', target: RouteTarget.service(admin), ipAllowList: ['203.0.113.0/24'], maxRequestBodySize: Size.kibibytes(64) },
    ],
  });
  // Routes can be added after construction; load balancer health checks need no token and no limit.
  gateway.addRoute({
    name: 'health',
    path: '/healthz',
    methods: ['GET'],
    target: RouteTarget.service(usersV1),
    disable: [GatewayPolicy.JWT, GatewayPolicy.RATE_LIMIT, GatewayPolicy.CORS],
    healthCheck: { path: '/healthz', interval: Duration.seconds(10) },
  });
  return gateway;
}
