import { Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Chart } from 'cdk8s';
import { Gateway, GatewayProps, RouteTarget, TlsSource } from '../../src/gateway';
import { Endpoint } from '../../src/platform/endpoint';
import { INetworkPeer } from '../../src/platform/network';
import { IRedisConnection } from '../../src/platform/redis-connection';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { checkAwsConformance, awsConformanceProblems, AwsConformanceReport } from '../conformance/aws';
import { awsStack } from '../util';

export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/5f0c6a8e-3c1b-4d2e-9f70-1a2b3c4d5e6f';
/**
 * An IAM server certificate, which ALB listeners accept like an ACM one. moto's ELBv2 looks an ACM
 * ARN up in its own (empty) ACM and fails with CertificateNotFound, and it does not create
 * AWS::CertificateManager::Certificate (Ref null, then KeyError 'CertificateArn'); an IAM ARN is not looked up.
 */
export const MOTO_CERTIFICATE_ARN = 'arn:aws:iam::123456789012:server-certificate/api.example.com';
export const JWT = { issuer: 'https://auth.example.com/', jwksUrl: 'https://auth.example.com/.well-known/jwks.json', audiences: ['https://api.example.com'] };

/** A stand-in for CacheCluster: the IRedisConnection contract, recording who was let in. */
export class FakeRedis implements IRedisConnection {
  public readonly admitted: INetworkPeer[] = [];
  constructor(
    public readonly redisEndpoint = new Endpoint('ratelimit.platform.internal', 6379, 'redis'),
    public readonly redisTls = true,
    public readonly redisClusterMode = false,
    public readonly redisPassword: PlatformSecret | undefined = PlatformSecret.named('ratelimit-auth', 'password'),
  ) {}

  public allowFrom(peer: INetworkPeer): void {
    this.admitted.push(peer);
  }
}

/** Two services and a gateway routing to them. */
export function smallGateway(scope: Stack | Chart, props: Partial<GatewayProps> = {}) {
  const users = new ServiceCluster(scope, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
  const orders = new ServiceCluster(scope, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
  const tls = scope instanceof Chart
    ? { kubernetes: { tls: TlsSource.secret('api-tls') } }
    : { aws: { certificate: acm.Certificate.fromCertificateArn(scope, 'Cert', CERTIFICATE_ARN) } };
  const gateway = new Gateway(scope, 'Api', {
    domainName: 'api.example.com',
    routes: [
      { name: 'users', pathPrefix: '/v1/users', target: RouteTarget.service(users) },
      { name: 'orders', pathPrefix: '/v1/orders', target: RouteTarget.service(orders) },
    ],
    ...tls,
    ...props,
  });
  return { gateway, users, orders };
}

/**
 * The AWS conformance harness, run twice because of one moto gap: with an ACM certificate, cdk-nag
 * and cfn-lint must find nothing and moto may fail only on the HTTPS listener's certificate lookup;
 * with an IAM server certificate (which cfn-lint's pattern rejects, and moto does not look up) moto
 * must create the whole stack.
 */
export function expectGatewayAwsConformance(build: (stack: Stack, certificateArn: string) => void, id = 'Platform') {
  const stack = awsStack(id);
  build(stack, CERTIFICATE_ARN);
  const report = checkAwsConformance([stack]);
  const certificateGap = (problem: string) => /^moto: .*CertificateNotFound.*Supplied certificate was not found/.test(problem);
  const problems = awsConformanceProblems(report).filter(p => !certificateGap(p));
  if (problems.length > 0) throw new Error(`AWS conformance failed:\n  - ${problems.join('\n  - ')}`);

  const motoStack = awsStack(id);
  build(motoStack, MOTO_CERTIFICATE_ARN);
  const motoReport: AwsConformanceReport = checkAwsConformance([motoStack], { nag: false, cfnLint: false });
  const motoProblems = awsConformanceProblems(motoReport);
  if (motoProblems.length > 0) throw new Error(`moto could not create the stack:\n  - ${motoProblems.join('\n  - ')}`);
  return { report, motoReport };
}
