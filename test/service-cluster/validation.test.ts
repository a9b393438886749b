import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Chart } from 'cdk8s';
import { PlatformSecret, ServiceCluster, ServiceClusterProps } from '../../src';
import { awsStack, kubernetesChart } from '../util';

const image = 'ghcr.io/acme/users:1.4.2';
const targets: Array<[string, () => Stack | Chart]> = [['aws', () => awsStack()], ['kubernetes', () => kubernetesChart()]];

function create(scope: Stack | Chart, props: Partial<ServiceClusterProps>) {
  return () => new ServiceCluster(scope, 'Users', { image, ...props });
}

describe.each(targets)('ServiceCluster validation on %s', (_target, scope) => {
  test.each([
    ['latest tag', { image: 'ghcr.io/acme/users:latest' }, /Users: image is not pinned \(got "ghcr.io\/acme\/users:latest"\): use an explicit tag other than "latest"/],
    ['no tag', { image: 'nginx' }, /image is not pinned \(got "nginx"\)/],
    ['registry port is not a tag', { image: 'registry.local:5000/users' }, /image is not pinned \(got "registry.local:5000\/users"\)/],
    ['minReplicas above maxReplicas', { minReplicas: 5, maxReplicas: 3 }, /Users: minReplicas must not exceed maxReplicas \(got 5\): set maxReplicas ≥ 5 or lower minReplicas to ≤ 3/],
    ['zero replicas', { minReplicas: 0 }, /minReplicas is out of range \(got 0\): use an integer from 1 to 1000/],
    ['fractional replicas', { maxReplicas: 2.5 }, /maxReplicas is out of range \(got 2.5\)/],
    ['port out of range', { port: 70000 }, /Users: port is out of range for a non-root container \(got 70000\): use an integer from 1024 to 65535/],
    ['privileged port', { port: 80 }, /port is out of range for a non-root container \(got 80\)/],
    ['metrics port out of range', { metrics: { port: 0 } }, /metrics.port is out of range for a non-root container \(got 0\)/],
    ['relative health path', { healthCheck: { path: 'healthz' } }, /Users: healthCheck.path is not an HTTP request path \(got "healthz"\): use an absolute path such as "\/healthz"/],
    ['health path with a space', { healthCheck: { path: '/health z' } }, /healthCheck.path is not an HTTP request path \(got "\/health z"\)/],
    ['relative metrics path', { metrics: { path: 'metrics' } }, /metrics.path is not an HTTP request path \(got "metrics"\)/],
    ['timeout not below interval', { healthCheck: { path: '/h', interval: Duration.seconds(5), timeout: Duration.seconds(5) } },
      /healthCheck.timeout must be shorter than healthCheck.interval \(got "5s"\): use a timeout below 5s/],
    ['threshold out of range', { healthCheck: { path: '/h', unhealthyThreshold: 1 } }, /healthCheck.unhealthyThreshold is out of range \(got 1\): use an integer from 2 to 10/],
    ['credential-looking env by name', { environment: { DB_PASSWORD: 'hunter2' } },
      /Users: environment.DB_PASSWORD is named like a credential but passed as plain text \(got "<redacted>"\): move it to secrets/],
    ['credential-looking env by value', { environment: { DATABASE_URL: 'postgres://app:s3cret@db:5432/app' } },
      /environment.DATABASE_URL holds a URL with a password as plain text/],
    ['AWS access key as value', { environment: { UPSTREAM: 'AKIAABCDEFGHIJKLMNOP' } }, /environment.UPSTREAM holds an AWS access key id as plain text/],
    ['invalid env name', { environment: { '1BAD': 'x' } }, /environment.1BAD is not a valid variable name/],
    ['env and secret clash', { environment: { UPSTREAM_URL: 'https://idp/x' }, secrets: { UPSTREAM_URL: PlatformSecret.named('s', 'k') } },
      /environment.UPSTREAM_URL is also set in secrets/],
    ['invalid service name', { serviceName: 'Users_API' }, /Users: serviceName is not a DNS label \(got "Users_API"\)/],
    ['cpu target above 100', { targetCpuUtilization: 120 }, /targetCpuUtilization is out of range \(got 120\): use a number greater than 0 and at most 100/],
    ['request target not positive', { targetRequestsPerSecond: 0 }, /targetRequestsPerSecond is out of range \(got 0\)/],
    ['root user', { runAsUser: 0 }, /runAsUser must be a non-root user id \(got 0\)/],
  ])('%s', (_name, props, message) => {
    expect(create(scope(), props as Partial<ServiceClusterProps>)).toThrow(message);
  });

  test('every problem is reported at once', () => {
    expect(create(scope(), { image: 'nginx', port: 1 })).toThrow(/2 problems:\n {2}- .*image is not pinned.*\n {2}- .*port is out of range/);
  });
});

describe('target-specific validation', () => {
  test('a cpu/memory pair Fargate does not offer fails on AWS and is fine on Kubernetes', () => {
    expect(create(awsStack(), { cpu: 0.25, memory: Size.mebibytes(4096) }))
      .toThrow(/Users: cpu\/memory is not a Fargate size \(got "0.25 vCPU \/ 4096 MiB"\): with 0.25 vCPU Fargate offers 512-2048 MiB in steps of 512 MiB/);
    expect(create(awsStack(), { cpu: 3 })).toThrow(/Fargate cpu is one of 0.25, 0.5, 1, 2, 4, 8, 16 vCPU/);
    expect(create(kubernetesChart(), { cpu: 0.25, memory: Size.mebibytes(4096) })).not.toThrow();
  });

  test('a shutdown grace period longer than Fargate allows fails on AWS only', () => {
    expect(create(awsStack(), { shutdownGracePeriod: Duration.minutes(5) }))
      .toThrow(/shutdownGracePeriod exceeds what Fargate allows on aws \(got "300s"\): use at most 120s/);
    expect(create(kubernetesChart(), { shutdownGracePeriod: Duration.minutes(5) })).not.toThrow();
  });

  test('a Secrets Manager secret cannot render on Kubernetes', () => {
    const stack = awsStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'x');
    expect(create(kubernetesChart(), { secrets: { X: PlatformSecret.fromSecretsManager(secret) } }))
      .toThrow(/Users: secrets.X is a Secrets Manager secret, which is not supported on kubernetes: use PlatformSecret.named/);
  });

  test('grantPrincipal is AWS-only', () => {
    const service = create(kubernetesChart(), {})();
    expect(() => service.grantPrincipal).toThrow(/Users: grantPrincipal is not supported on kubernetes/);
  });

  test('duplicate service names in one AWS platform are rejected', () => {
    const stack = awsStack();
    new ServiceCluster(stack, 'A', { image, serviceName: 'users' });
    // Both constructs named, at synth: not a failed deploy.
    expect(() => new ServiceCluster(stack, 'B', { image, serviceName: 'users' })).toThrow(/Platform\/B: Cloud Map service "users" is already emitted by Platform\/A/);
  });
});
