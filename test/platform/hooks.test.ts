import { Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import {
  AlertReceiver, CacheCluster, CacheClusterProps, Gateway, GatewayProps, MessageQueue, MessageQueueProps,
  MongoShardedCluster, MongoShardedClusterProps, ObservabilityStack, ObservabilityStackProps, QueueWorker, QueueWorkerProps,
  RouteTarget, ServiceCluster, ServiceClusterAwsResources, ServiceClusterKubernetesResources, ServiceClusterProps, TlsSource,
} from '../../src';
import { CERTIFICATE_ARN } from '../gateway/fixtures';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

interface TeamProps { readonly team: string }

/**
 * The case users hit: a subclass stores its own prop in a field and reads it in a hook. Fields are
 * initialised after `super()` returns, so the hook must read the `props` it is given.
 */
class TeamService extends ServiceCluster {
  private readonly team: string;
  constructor(scope: Construct, id: string, props: ServiceClusterProps & TeamProps) {
    super(scope, id, props);
    this.team = props.team;
  }
  public get teamName(): string { return this.team; }
  protected configureAws(resources: ServiceClusterAwsResources, props: ServiceClusterProps): void {
    Tags.of(resources.service).add('team', (props as ServiceClusterProps & TeamProps).team);
  }
  protected configureKubernetes(resources: ServiceClusterKubernetesResources, props: ServiceClusterProps): void {
    resources.deployment.metadata.addLabel('acme.example/team', (props as ServiceClusterProps & TeamProps).team);
  }
}

describe('hooks see the subclass\'s own props', () => {
  test('Kubernetes: the label from the subclass prop is on the Deployment', () => {
    const chart = kubernetesChart();
    const service = new TeamService(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2', team: 'identity' });
    expect(service.teamName).toBe('identity');
    expect(findObject(manifestsOf(chart), 'Deployment', 'users').metadata.labels['acme.example/team']).toBe('identity');
  });

  test('AWS: the tag from the subclass prop is on the ECS service', () => {
    const stack = awsStack();
    const service = new TeamService(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2', team: 'identity' });
    Template.fromStack(service.aws!.stack).hasResourceProperties('AWS::ECS::Service', {
      Tags: [{ Key: 'team', Value: 'identity' }],
    });
  });

  // Every construct hands both hooks the effective props: what applyDefaults returned, subclass fields included.
  type Seen = { hook: string; team?: string };
  const seen: Seen[] = [];
  const recorder = (hook: string) => (_resources: unknown, props: unknown) => seen.push({ hook, team: (props as TeamProps).team });

  function subclassOf<P>(Base: new (scope: Construct, id: string, props: P) => Construct) {
    const Sub = class extends (Base as any) {
      protected applyDefaults(props: P): P { return { ...props, team: `${(props as any).team}-checked` }; }
    };
    (Sub.prototype as any).configureAws = recorder('configureAws');
    (Sub.prototype as any).configureKubernetes = recorder('configureKubernetes');
    return Sub as unknown as new (scope: Construct, id: string, props: P & TeamProps) => Construct;
  }

  const cases: Array<[string, (scope: Construct) => void]> = [
    ['ServiceCluster', scope => new (subclassOf<ServiceClusterProps>(ServiceCluster))(scope, 'Svc', { image: 'nginx:1.27', team: 't' })],
    ['CacheCluster', scope => new (subclassOf<CacheClusterProps>(CacheCluster))(scope, 'Cache', { team: 't' })],
    ['MongoShardedCluster', scope => new (subclassOf<MongoShardedClusterProps>(MongoShardedCluster))(scope, 'Db', { team: 't' })],
    ['MessageQueue', scope => new (subclassOf<MessageQueueProps>(MessageQueue))(scope, 'Queue', { team: 't' })],
    ['QueueWorker', scope => new (subclassOf<QueueWorkerProps>(QueueWorker))(scope, 'Worker', {
      image: 'nginx:1.27', queue: new MessageQueue(scope, 'WorkQueue'), healthCheckCommand: ['/bin/true'], team: 't',
    })],
    ['ObservabilityStack', scope => new (subclassOf<ObservabilityStackProps>(ObservabilityStack))(scope, 'Obs', {
      receivers: [AlertReceiver.webhook('https://oncall.acme.example/hooks', { snsEnvelopeOnAws: true })], team: 't',
    })],
    ['Gateway', scope => {
      const users = new ServiceCluster(scope, 'Users', { image: 'nginx:1.27' });
      const aws = scope instanceof Construct && (scope as any).templateOptions !== undefined;
      new (subclassOf<GatewayProps>(Gateway))(scope, 'Api', {
        team: 't',
        domainName: 'api.acme.example',
        routes: [{ pathPrefix: '/v1', target: RouteTarget.service(users) }],
        ...(aws
          ? { aws: { certificate: acm.Certificate.fromCertificateArn(scope, 'Cert', CERTIFICATE_ARN) } }
          : { kubernetes: { tls: TlsSource.certManager({ issuerName: 'acme-issuer' }) } }),
      });
    }],
  ];

  test.each(cases)('%s: both hooks receive the effective props', (_name, build) => {
    seen.length = 0;
    build(awsStack());
    build(kubernetesChart());
    expect(seen).toEqual([{ hook: 'configureAws', team: 't-checked' }, { hook: 'configureKubernetes', team: 't-checked' }]);
  });
});
