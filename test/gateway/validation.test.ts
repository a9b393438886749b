import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { FakeRedis, JWT, smallGateway } from './fixtures';
import { Gateway, GatewayProps, JwtVerifier, RateLimitKey, RouteTarget, TlsSource } from '../../src/gateway';
import { Endpoint } from '../../src/platform/endpoint';
import { RolloutStrategy, ServiceCluster } from '../../src/service-cluster';
import { awsStack, kubernetesChart } from '../util';

const targets: Array<[string, () => Stack | Chart]> = [['aws', () => awsStack()], ['kubernetes', () => kubernetesChart()]];

describe.each(targets)('Gateway validation on %s', (_target, scope) => {
  const create = (props: Partial<GatewayProps>) => () => smallGateway(scope(), props);

  test.each([
    ['JWT without issuer', { jwt: { ...JWT, issuer: '' } }, /Api: jwt.issuer is empty \(got ""\): set the expected "iss" claim/],
    ['JWT without JWKS', { jwt: { ...JWT, jwksUrl: '' } }, /Api: jwt.jwksUrl is not an https URL \(got ""\): set the issuer's JSON Web Key Set URL/],
    ['JWKS over http', { jwt: { ...JWT, jwksUrl: 'http://auth.example.com/jwks' } }, /jwt.jwksUrl is not an https URL \(got "http:\/\/auth.example.com\/jwks"\)/],
    ['forwardAuth address not a URL', { jwt: { ...JWT, verifier: JwtVerifier.forwardAuth('verifier:8080') } }, /jwt.verifier has an invalid forwardAuth address \(got "verifier:8080"\)/],
    ['CORS * with credentials', { cors: { allowOrigins: ['*'], allowCredentials: true } },
      /Api: cors.allowOrigins is "\*" with allowCredentials \(got "\*"\): browsers reject credentialed responses for any origin/],
    ['CORS origin with a path', { cors: { allowOrigins: ['https://app.example.com/x'] } }, /cors.allowOrigins has an invalid origin \(got "https:\/\/app.example.com\/x"\): use scheme:\/\/host\[:port\]/],
    ['CORS without origins', { cors: { allowOrigins: [] } }, /cors.allowOrigins is empty/],
    ['rate limit 0', { rateLimit: { average: 0 } }, /Api: rateLimit.average must be a positive integer \(got 0\): use an integer from 1 to 1000000000/],
    ['negative rate limit', { rateLimit: { average: -5 } }, /rateLimit.average must be a positive integer \(got -5\)/],
    ['burst 0', { rateLimit: { average: 5, burst: 0 } }, /rateLimit.burst must be a positive integer \(got 0\)/],
    ['bad rate-limit header', { rateLimit: { average: 5, key: RateLimitKey.header('X Api Key') } }, /rateLimit.key is not a valid header name \(got "X Api Key"\)/],
    ['cluster-mode store', { rateLimit: { average: 5, store: new FakeRedis(new Endpoint('cfg.cache', 6379), true, true) } },
      /rateLimit.store is a cluster-mode Redis \(got "cfg.cache:6379"\): Traefik's rate-limit store talks to one Redis endpoint/],
    ['database without store', { rateLimit: { average: 5, storeDatabase: 3 } }, /rateLimit.storeDatabase is set without a store \(got 3\)/],
    ['breaker ratio above 1', { circuitBreaker: { serverErrorRatio: 1.5 } }, /circuitBreaker.serverErrorRatio is out of range \(got 1.5\): use a number greater than 0 and at most 1/],
    ['too many attempts', { retry: { attempts: 20 } }, /retry.attempts is out of range \(got 20\): use an integer from 1 to 10/],
    ['bad allow list', { ipAllowList: ['10.0.0.0/33'] }, /Api: ipAllowList has an invalid address range \(got "10.0.0.0\/33"\): use CIDR notation/],
    ['empty body limit', { maxRequestBodySize: Size.bytes(0) }, /maxRequestBodySize is out of range \(got 0\)/],
    ['bad domain', { domainName: 'API.example.com' }, /Api: domainName is not a host name \(got "API.example.com"\)/],
    ['unpinned image', { image: 'traefik:latest' }, /Api: image is not pinned \(got "traefik:latest"\)/],
    ['replicas', { minReplicas: 4, maxReplicas: 3 }, /Api: minReplicas must not exceed maxReplicas \(got 4\)/],
    ['tracing endpoint', { tracing: { otlpEndpoint: 'collector:4318' } }, /tracing.otlpEndpoint is not an http\(s\) URL \(got "collector:4318"\)/],
    ['gateway name', { gatewayName: 'Api_Gateway' }, /Api: gatewayName is not a DNS label \(got "Api_Gateway"\)/],
  ])('%s', (_name, props, message) => {
    expect(create(props as Partial<GatewayProps>)).toThrow(message);
  });

  test.each([
    ['unknown service (another scope)', () => RouteTarget.service(new ServiceCluster(kubernetesChartOrStack(scope), 'Elsewhere', { image: 'ghcr.io/acme/x:1.0.0' })),
      { pathPrefix: '/x' }, /Api: routes\[x\].target is an unknown service \(got "[^"]*Elsewhere"\): route to a ServiceCluster in the same (Stack|Chart) as the gateway/],
    ['invalid path', undefined, { pathPrefix: 'v1/users' }, /Api: routes\[v1-users\].pathPrefix is not a valid path \(got "v1\/users"\): start with "\/"/],
    ['wildcard path', undefined, { path: '/v1/*' }, /routes\[v1\].path is not a valid path \(got "\/v1\/\*"\)/],
    ['path and prefix', undefined, { name: 'both', path: '/a', pathPrefix: '/b' }, /routes\[both\].path is set together with pathPrefix/],
    ['strip without prefix', undefined, { name: 'strip', path: '/a', stripPrefix: true }, /routes\[strip\].stripPrefix needs a pathPrefix/],
    ['bad URL target', () => RouteTarget.url('partner.example.net'), { name: 'partner', pathPrefix: '/p' }, /routes\[partner\].target is not an http\(s\) URL \(got "partner.example.net"\)/],
    ['unknown method', undefined, { name: 'm', pathPrefix: '/m', methods: ['FETCH'] }, /routes\[m\].methods has an unknown HTTP method \(got "FETCH"\)/],
    ['route rate limit 0', undefined, { name: 'r', pathPrefix: '/r', rateLimit: { average: 0 } }, /routes\[r\].rateLimit.average must be a positive integer \(got 0\)/],
    ['duplicate name', undefined, { name: 'users', pathPrefix: '/other' }, /Api: routes\[users\].name is a duplicate route \(got "users"\): give every route a unique name/],
    ['duplicate match', undefined, { name: 'again', pathPrefix: '/v1/users' }, /routes\[again\].match duplicates route users \(got "Host\(`api.example.com`\) && \(Path\(`\/v1\/users`\) \|\| PathPrefix\(`\/v1\/users\/`\)\)"\)/],
    ['bad header value', undefined, { name: 'h', pathPrefix: '/h', headers: { 'X-V': '`2`' } }, /routes\[h\].headers.X-V has an invalid value/],
    ['timeout', undefined, { name: 't', pathPrefix: '/t', timeout: Duration.hours(2) }, /routes\[t\].timeout is out of range \(got 7200\)/],
  ])('addRoute: %s', (_name, target, route, message) => {
    const s = scope();
    const { gateway, users } = smallGateway(s);
    expect(() => gateway.addRoute({ target: target ? target() : RouteTarget.service(users), ...route } as any)).toThrow(message);
  });

  test('a canary needs two services', () => {
    const s = scope();
    const { gateway, users } = smallGateway(s);
    expect(() => gateway.addRoute({ name: 'c', pathPrefix: '/c', target: RouteTarget.weighted([{ service: users, weight: 1 }]) }))
      .toThrow(/routes\[c\].target splits traffic over fewer than two services \(got 1\)/);
  });

  test('a fixed split cannot drive an SLO-gated canary: refused on both targets; a plain route to it is fine', () => {
    const s = scope();
    const { gateway, users } = smallGateway(s);
    const payments = new ServiceCluster(s, 'Payments', { image: 'ghcr.io/acme/payments:2.0.0', rollout: RolloutStrategy.sloGatedCanary() });
    expect(() => gateway.addRoute({ name: 'o', pathPrefix: '/o', target: RouteTarget.weighted([{ service: users, weight: 9 }, { service: payments, weight: 1 }]) }))
      .toThrow(/routes\[o\].target splits traffic by fixed weights to a service with an SLO-gated canary \(got ".*\/Payments"\): the gateway cannot drive route weights by the SLO/);
    expect(() => gateway.addRoute({ name: 'p', pathPrefix: '/p', target: RouteTarget.service(payments) })).not.toThrow();
  });

  test('every problem is reported at once', () => {
    expect(create({ rateLimit: { average: 0 }, cors: { allowOrigins: ['*'], allowCredentials: true } })).toThrow(/2 problems:\n {2}- .*cors.allowOrigins[\s\S]*rateLimit.average/);
  });
});

/** A scope of the same target but another Stack/Chart. */
function kubernetesChartOrStack(scope: () => Stack | Chart): Stack | Chart {
  const s = scope();
  return s instanceof Chart ? kubernetesChart('other') : awsStack('Other');
}

describe('target-specific validation', () => {
  test('AWS: HTTPS is mandatory', () => {
    const stack = awsStack();
    expect(() => new Gateway(stack, 'Api', { routes: [] })).toThrow(
      /Platform\/Api: aws.certificate is missing \(got undefined\): HTTPS is mandatory: pass aws.certificate \(an ACM certificate\), or aws.hostedZone with domainName/);
  });

  test('AWS: Fargate sizes', () => {
    expect(() => smallGateway(awsStack(), { cpu: 0.25, memory: Size.gibibytes(4) })).toThrow(/cpu\/memory is not a Fargate size \(got "0.25 vCPU \/ 4096 MiB"\)/);
  });

  test('Kubernetes: HTTPS is mandatory, load balancer JWT does not exist, cert-manager needs the domain', () => {
    const chart = kubernetesChart();
    expect(() => new Gateway(chart, 'A', {})).toThrow(/A: kubernetes.tls is missing \(got undefined\): HTTPS is mandatory: pass TlsSource.secret/);
    // `tls` is required by the type, but JavaScript callers and other jsii languages can still leave it out.
    expect(() => new Gateway(chart, 'D', { kubernetes: { serviceAnnotations: { a: 'b' } } as any }))
      .toThrow(/D: kubernetes.tls is missing \(got undefined\): HTTPS is mandatory: pass TlsSource.secret/);
    expect(() => new Gateway(chart, 'B', { jwt: { ...JWT, verifier: JwtVerifier.loadBalancer() }, kubernetes: { tls: TlsSource.secret('t') } }))
      .toThrow(/B: jwt.verifier is not supported on kubernetes \(got "JwtVerifier.loadBalancer\(\)"\): the load balancer verifies tokens on aws only/);
    expect(() => new Gateway(chart, 'C', { kubernetes: { tls: TlsSource.certManager({ issuerName: 'le' }) } }))
      .toThrow(/C: domainName is missing \(got undefined\): a cert-manager Certificate needs the domain name/);
  });

  test('AWS load balancer JWT: a route must fit one listener rule', () => {
    const stack = awsStack();
    const { gateway, users } = smallGateway(stack, { jwt: { ...JWT, verifier: JwtVerifier.loadBalancer() } });
    expect(() => gateway.addRoute({
      name: 'wide', hosts: ['a.example.com', 'b.example.com'], pathPrefix: '/w', methods: ['GET', 'PUT'], target: RouteTarget.service(users),
    })).toThrow(/routes\[wide\].match has too many conditions for a load balancer rule .*at most 5 condition values/);
  });
});
