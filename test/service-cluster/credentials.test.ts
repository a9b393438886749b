import { Stack } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { PlatformSecret, ServiceCluster, ServiceClusterProps } from '../../src';
import { RouteTarget } from '../../src/gateway';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { AlertReceiver, ObservabilityStack } from '../../src/observability';
import { smallGateway } from '../gateway/fixtures';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

const image = 'ghcr.io/acme/users:1.4.2';
const targets: Array<[string, () => Stack | Chart]> = [['aws', () => awsStack()], ['kubernetes', () => kubernetesChart()]];
const service = (scope: Stack | Chart, props: Partial<ServiceClusterProps> = {}) => new ServiceCluster(scope, 'Users', { image, ...props });
const JWT_VALUE = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe.each(targets)('credentials in plain environment variables on %s', (_target, scope) => {
  test.each([
    ['a Stripe secret key under a harmless name', { STRIPE_SK: 'sk_live_51HxYzAbCdEfGhIjKlMnOp' }, /environment.STRIPE_SK holds a Stripe secret key as plain text \(got "<redacted>"\)/],
    ['a bearer token', { AUTH_HEADER: `Bearer ${JWT_VALUE}` }, /environment.AUTH_HEADER holds a JSON Web Token as plain text/],
    ['a bare JWT', { UPSTREAM_ID: JWT_VALUE }, /environment.UPSTREAM_ID holds a JSON Web Token as plain text/],
    ['an Authorization value', { UPSTREAM_AUTHORIZATION: 'Basic dXNlcjpwYXNzd29yZA==' }, /environment.UPSTREAM_AUTHORIZATION holds an Authorization header value/],
    ['a URL with a password', { CACHE_URL: 'redis://default:hunter2@cache:6379' }, /environment.CACHE_URL holds a URL with a password as plain text/],
    ['a private key block', { TLS: '-----BEGIN RSA PRIVATE KEY-----\nMIIB' }, /environment.TLS holds a private key as plain text/],
    ['an AWS access key id', { UPSTREAM: 'AKIAIOSFODNN7EXAMPLE' }, /environment.UPSTREAM holds an AWS access key id as plain text/],
    ['a password by name', { DB_PASSWORD: 'hunter2' }, /environment.DB_PASSWORD is named like a credential but passed as plain text/],
  ])('%s is refused, with the way out in the message', (_case, environment, message) => {
    expect(() => service(scope(), { environment })).toThrow(message);
    expect(() => service(scope(), { environment })).toThrow(/move it to secrets: .* if it is not a credential, list it in notCredentials/);
  });

  test('names that only mention a credential, with ordinary values, are accepted', () => {
    expect(() => service(scope(), {
      environment: {
        OAUTH_TOKEN_URL: 'https://auth.example.com/oauth/token',
        PASSWORD_MIN_LENGTH: '12',
        SECRET_ROTATION_DAYS: '30',
        TOKEN_TTL_SECONDS: '900',
        JWKS_URL: 'https://auth.example.com/.well-known/jwks.json',
        JWT_ISSUER: 'https://auth.example.com/',
        API_KEY_HEADER: 'X-Api-Key',
        SECRET_NAME: 'orders-db',
        AUTH_URL: 'https://auth.example.com/authorize',
        REDIS_URL: 'redis://cache.shop.svc:6379/0',
        DATABASE_URL: 'postgres://db.shop.svc:5432/orders',
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        STRIPE_PUBLISHABLE_KEY_ID: 'pk_live_51Hx',
        CORS_ORIGINS: 'https://app.example.com,https://admin.example.com',
        FEATURE_FLAGS: 'a,b',
        GIT_SHA: '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
      },
    })).not.toThrow();
  });

  test('notCredentials is the explicit, per-variable way out; it must name a plain variable', () => {
    expect(() => service(scope(), { environment: { SESSION_TOKEN: 'sid', DB_PASSWORD: 'x' }, notCredentials: ['SESSION_TOKEN'] }))
      .toThrow(/^[^\n]*environment.DB_PASSWORD is named like a credential/);
    expect(() => service(scope(), { environment: { SESSION_TOKEN: 'sid' }, notCredentials: ['SESSION_TOKEN'] })).not.toThrow();
    expect(() => service(scope(), { environment: {}, notCredentials: ['NOPE'] }))
      .toThrow(/Users: notCredentials names a variable that is not in environment \(got "NOPE"\)/);
    const added = service(scope());
    expect(() => added.addEnvironment('CSRF_TOKEN', 'csrf')).toThrow(/environment.CSRF_TOKEN is named like a credential/);
    expect(() => added.addEnvironment('CSRF_TOKEN', 'csrf', { notCredential: true })).not.toThrow();
  });

  test('a variable set twice is refused, whichever way it was set first', () => {
    const users = service(scope(), { environment: { LOG_LEVEL: 'info' }, secrets: { DB_PASS_REF: PlatformSecret.named('db', 'password') } });
    expect(() => users.addEnvironment('LOG_LEVEL', 'debug')).toThrow(/Users: environment.LOG_LEVEL is already set \(got "LOG_LEVEL"\): set each variable once/);
    expect(() => users.addEnvironment('DB_PASS_REF', 'x')).toThrow(/environment.DB_PASS_REF is already set/);
    expect(() => users.addSecret('LOG_LEVEL', PlatformSecret.named('x', 'y'))).toThrow(/secrets.LOG_LEVEL is already set/);
    users.addEnvironment('REGION', 'eu');
    expect(() => users.addSecret('REGION', PlatformSecret.named('x', 'y'))).toThrow(/secrets.REGION is already set/);
  });
});

describe('credentials in URLs', () => {
  test('a route target URL with user and password is refused', () => {
    const { gateway } = smallGateway(kubernetesChart());
    expect(() => gateway.addRoute({ name: 'partner', pathPrefix: '/p', target: RouteTarget.url('https://user:pass@partner.example.net/') }))
      .toThrow(/routes\[partner\].target carries credentials in its URL \(got "<redacted>"\): remove the user name and password/);
  });

  test('a webhook URL with user and password is refused', () => {
    expect(() => new ObservabilityStack(kubernetesChart(), 'Observability', { receivers: [AlertReceiver.webhook('https://am:s3cret@hooks.example.com/alerts')] }))
      .toThrow(/receivers\[0\].url carries credentials in its URL \(got "<redacted>"\)/);
  });
});

test('on Kubernetes a refused duplicate leaves one variable in the Deployment', () => {
  const chart = kubernetesChart();
  const users = service(chart, { environment: { LOG_LEVEL: 'info' } });
  expect(() => users.addEnvironment('LOG_LEVEL', 'debug')).toThrow();
  const env = findObject(manifestsOf(chart), 'Deployment', 'users').spec.template.spec.containers[0].env;
  expect(env.filter((v: any) => v.name === 'LOG_LEVEL')).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
});

test('MongoShardedCluster.connectService sets each variable once: the same database again is a no-op, another is refused', () => {
  const chart = kubernetesChart();
  const cluster = new MongoShardedCluster(chart, 'OrdersDb');
  const orders = service(chart);
  cluster.connectService(orders, 'shop');
  cluster.connectService(orders, 'shop');
  expect(() => cluster.connectService(orders, 'billing'))
    .toThrow(/OrdersDb: connect\(database\) is a second database for platform\/Users \(got "billing"\)/);
  const env = findObject(manifestsOf(chart), 'Deployment', 'users').spec.template.spec.containers[0].env;
  expect(env.filter((v: any) => v.name === 'MONGODB_URI')).toHaveLength(1);
});
