import { Size, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Chart } from 'cdk8s';
import { CacheCluster } from '../../src/cache-cluster';
import { Gateway, RouteTarget, TlsSource } from '../../src/gateway';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { AlertReceiver, ObservabilityStack } from '../../src/observability';
import { NetworkPeer } from '../../src/platform/network';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster, ServiceClusterProps } from '../../src/service-cluster';
import { smallGateway } from '../gateway/fixtures';
import { awsStack, kubernetesChart } from '../util';

const image = 'ghcr.io/acme/users:1.4.2';
const service = (scope: Stack | Chart, props: Partial<ServiceClusterProps> = {}) => new ServiceCluster(scope, 'Users', { image, ...props });
const targets: Array<[string, () => Stack | Chart]> = [['aws', () => awsStack()], ['kubernetes', () => kubernetesChart()]];

describe('values are checked against the grammar their consumer uses', () => {
  test.each(targets)('a secret reference with a space in its name and key is refused on %s', (_t, scope) => {
    expect(() => service(scope(), { secrets: { DB: PlatformSecret.named('Bad Name', 'pass word') } })).toThrow(
      /2 problems:\n.*Users: secrets.DB has an invalid secret name \(got "Bad Name"\): PlatformSecret.named\(name, key\): use lowercase letters[\s\S]*secrets.DB has an invalid secret key \(got "pass word"\)/);
  });

  test('a TLS Secret name with ";" or quotes is refused', () => {
    expect(() => smallGateway(kubernetesChart(), { kubernetes: { tls: TlsSource.secret('api;tls') } }))
      .toThrow(/Api: kubernetes.tls has an invalid Secret name \(got "api;tls"\): use lowercase letters/);
    expect(() => new ObservabilityStack(kubernetesChart(), 'Observability', {
      receivers: [AlertReceiver.slack({ apiUrlSecret: PlatformSecret.named('"slack"', 'url'), channel: '#alerts' })],
    })).toThrow(/receivers\[0\].slack.apiUrlSecret has an invalid secret name \(got "\\"slack\\""\)/);
  });

  test('annotation keys with a line break are refused', () => {
    expect(() => service(kubernetesChart(), { kubernetes: { serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn\nx': 'arn' } } }))
      .toThrow(/Users: kubernetes.serviceAccountAnnotations has an invalid annotation key \(got "eks.amazonaws.com\/role-arn\\nx"\): use \[prefix\/\]name/);
    expect(() => smallGateway(kubernetesChart(), { kubernetes: { tls: TlsSource.secret('api-tls'), serviceAnnotations: { 'a b': 'x' } } }))
      .toThrow(/Api: kubernetes.serviceAnnotations has an invalid annotation key \(got "a b"\)/);
  });

  test.each([
    ['GHCR.io/Acme/App:1.0', /image is not a valid image reference \(got "GHCR.io\/Acme\/App:1.0"\): use \[registry\/\]repository:tag/],
    ['ghcr.io/ac me/x:1.0.0', /image is not a valid image reference \(got "ghcr.io\/ac me\/x:1.0.0"\)/],
    ['x@sha256:abc', /image is not a valid image reference \(got "x@sha256:abc"\)/],
  ])('image %s is refused on both targets', (ref, message) => {
    for (const [, scope] of targets) expect(() => service(scope(), { image: ref })).toThrow(message);
  });

  test('valid references in every form are accepted', () => {
    for (const ref of ['nginx:1.27', 'GHCR.io/acme/app:1.0', 'localhost:5000/app:v1', `app@sha256:${'a'.repeat(64)}`, 'a/b/c:1_0-x.y']) {
      expect(() => service(kubernetesChart(), { image: ref })).not.toThrow();
    }
  });

  test('a service of 0.001 CPU or 1 MiB is refused on Kubernetes', () => {
    expect(() => service(kubernetesChart(), { cpu: 0.001 })).toThrow(/Users: cpu is below 10m, too little for a container on kubernetes \(got 0.001\): use at least 0.01/);
    expect(() => service(kubernetesChart(), { memory: Size.mebibytes(1) }))
      .toThrow(/Users: memory is below 16 MiB, which a container runtime refuses or the process cannot start in \(got "1 MiB"\)/);
    expect(() => service(kubernetesChart(), { cpu: 0.0125 })).toThrow(/cpu is not a whole number of millicores/);
  });

  test.each([
    ['99 99 * * *', /backup.schedule has an invalid minute field \(got "99 99 \* \* \*"\): use "minute hour day-of-month month day-of-week"/],
    ['*/0 * * * *', /backup.schedule has an invalid minute field \(got "\*\/0 \* \* \* \*"\)/],
    ['0 3 30 2 *', /backup.schedule never runs \(no month it lists has that day\) \(got "0 3 30 2 \*"\)/],
    ['0 3 * 13 *', /backup.schedule has an invalid month field/],
  ])('the backup schedule %s is refused on Kubernetes', (schedule, message) => {
    expect(() => new MongoShardedCluster(kubernetesChart(), 'OrdersDb', { backup: { schedule } })).toThrow(message);
  });

  test('schedules cron accepts are accepted: names, lists, ranges with steps, 29 February', () => {
    for (const schedule of ['0 3 * * MON-FRI', '*/15 2,14 1-10/3 JAN,jul *', '0 3 29 2 *', '0 0 31 * *', '5/15 * * * 0']) {
      expect(() => new MongoShardedCluster(kubernetesChart(), 'OrdersDb', { backup: { schedule } })).not.toThrow();
    }
  });

  test('a wildcard route host matches one label below the domain, not the literal "*"', () => {
    const { gateway, users } = smallGateway(kubernetesChart());
    gateway.addRoute({ name: 'tenants', hosts: ['*.example.com'], pathPrefix: '/t', target: RouteTarget.service(users) });
    expect(gateway.traefikDynamicConfig().http.routers.tenants.rule).toBe(
      'HostRegexp(`(?i)^[a-z0-9-]+\\.example\\.com$`) && (Path(`/t`) || PathPrefix(`/t/`))');
  });

  test('a "//" path prefix, which would match every path, is refused', () => {
    const { gateway, users } = smallGateway(kubernetesChart());
    expect(() => gateway.addRoute({ name: 'all', pathPrefix: '//', target: RouteTarget.service(users) }))
      .toThrow(/routes\[all\].pathPrefix has an empty path segment \(got "\/\/"\): write each "\/" once/);
  });

  test('an IPv6 range that is not one is refused; real ones pass', () => {
    expect(() => smallGateway(kubernetesChart(), { ipAllowList: ['::::/999'] }))
      .toThrow(/Api: ipAllowList has an invalid address range \(got "::::\/999"\): use CIDR notation/);
    expect(() => smallGateway(kubernetesChart(), { ipAllowList: ['2001:db8::/32', '10.0.0.0/8', '::1/128'] })).not.toThrow();
  });

  test('a Content-Security-Policy with CR/LF is refused (header splitting)', () => {
    expect(() => smallGateway(kubernetesChart(), { securityHeaders: { contentSecurityPolicy: "default-src 'self'\r\nSet-Cookie: a=b" } }))
      .toThrow(/Api: securityHeaders.contentSecurityPolicy is not an HTTP header value \(got "default-src 'self'\\r\\nSet-Cookie: a=b"\)/);
  });

  test('an HTTPS listener certificate that resolves to nothing is refused', () => {
    const stack = awsStack();
    expect(() => new Gateway(stack, 'Api', {
      domainName: 'api.example.com', aws: { certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', '') },
    })).toThrow(/Api: aws.certificate is not a certificate ARN \(got ""\): pass an ACM certificate/);
  });
});

test.each(targets)('secret references of CacheCluster and MongoShardedCluster follow the same grammar on %s', (_t, scope) => {
  expect(() => new CacheCluster(scope(), 'Sessions', { auth: PlatformSecret.named('sessions auth', 'password') }))
    .toThrow(/Sessions: auth has an invalid secret name \(got "sessions auth"\)/);
  expect(() => new MongoShardedCluster(scope(), 'OrdersDb', { adminPassword: PlatformSecret.named('orders-db', 'pass;word') }))
    .toThrow(/OrdersDb: adminPassword has an invalid secret key \(got "pass;word"\)/);
});

test.each(targets)('NetworkPeer.ipv4 with a range that is not one is refused on %s, as AWS already did', (_t, scope) => {
  const users = service(scope());
  expect(() => users.allowFrom(NetworkPeer.ipv4('10.0.0.300/8'))).toThrow(/Users: allowFrom\(NetworkPeer.ipv4\) is not an IPv4 range \(got "10.0.0.300\/8"\)/);
  expect(() => users.allowFrom(NetworkPeer.ipv4('10.0.0.0/8'))).not.toThrow();
});
