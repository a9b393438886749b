import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AwsPlatform, KubernetesPlatform, NetworkPeer, PlatformTarget, ServiceCluster } from '../../src';
import { awsStack, findObject, kubernetesChart, manifestsOf, ownerLabel, TEST_ENV } from '../util';

const image = 'ghcr.io/acme/users:1.4.2';

describe('target selection', () => {
  test('the scope decides the target', () => {
    expect(PlatformTarget.of(awsStack())).toBe(PlatformTarget.AWS);
    expect(PlatformTarget.of(kubernetesChart())).toBe(PlatformTarget.KUBERNETES);
    expect(new ServiceCluster(new Construct(awsStack(), 'Nested'), 'Users', { image }).target).toBe(PlatformTarget.AWS);
  });

  test('under neither a Stack nor a Chart it fails and says so', () => {
    const root = new Construct(undefined as any, '');
    expect(() => new ServiceCluster(new Construct(root, 'Loose'), 'Users', { image }))
      .toThrow(/Loose\/Users: is not inside an aws-cdk-lib Stack or a cdk8s Chart: create it under a Stack to render AWS resources, or under a Chart/);
  });
});

describe('AwsPlatform', () => {
  test('created on first use: VPC over 3 zones with flow logs, ECS cluster with Container Insights, Cloud Map namespace', () => {
    const stack = awsStack();
    new ServiceCluster(stack, 'Users', { image });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false }, 6);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC' });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'platform.internal' });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  test('an environment-agnostic stack still gets three zones, and the internal load balancer asks for a region', () => {
    const stack = new Stack(new App(), 'Agnostic');
    AwsPlatform.of(stack);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::EC2::NatGateway'))).toHaveLength(3);
    expect(() => new ServiceCluster(stack, 'Users', { image }))
      .toThrow(/Agnostic: env.region is not set: the internal load balancer's access logs need the region/);
  });

  test('one per stack, overridable when created first', () => {
    const stack = awsStack();
    const platform = new AwsPlatform(stack, 'Shared', { platformName: 'shop', natGateways: 1 });
    expect(AwsPlatform.of(new ServiceCluster(stack, 'Users', { image }))).toBe(platform);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'shop.internal' });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    expect(() => new AwsPlatform(stack, 'Again')).toThrow(/Platform\/Again: an AwsPlatform already exists in stack Platform \(Platform\/Shared\)/);
  });

  test('constructs in nested stacks share the root stack platform', () => {
    const stack = awsStack();
    const nested = new NestedStack(stack, 'Nested');
    expect(AwsPlatform.of(nested)).toBe(AwsPlatform.of(stack));
    expect(AwsPlatform.of(stack).node.scope).toBe(stack);
  });

  test('separate stacks get separate platforms', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: TEST_ENV });
    const b = new Stack(app, 'B', { env: TEST_ENV });
    expect(AwsPlatform.of(a)).not.toBe(AwsPlatform.of(b));
  });

  test('a Kubernetes-only peer is rejected on AWS', () => {
    const users = new ServiceCluster(awsStack(), 'Users', { image });
    expect(() => users.allowFrom(NetworkPeer.fromPodLabels({ app: 'x' })))
      .toThrow(/Users: allowFrom\(peer\) got a Kubernetes-only peer \(pod labels\) on aws/);
  });
});

describe('KubernetesPlatform', () => {
  test('namespace from the chart; labels, storage class and extra labels are configurable', () => {
    const chart = kubernetesChart('c', 'payments');
    const platform = new KubernetesPlatform(chart, 'Platform', { platformName: 'pay', storageClassName: 'gp3', labels: { team: 'payments' } });
    const users = new ServiceCluster(chart, 'Users', { image });
    const manifests = manifestsOf(chart);
    expect(platform.storageClassName).toBe('gp3');
    expect(findObject(manifests, 'Deployment', 'users').metadata.labels).toEqual({
      'team': 'payments',
      'app.kubernetes.io/part-of': 'pay',
      'app.kubernetes.io/managed-by': 'cdk-portable-platform',
      'app.kubernetes.io/name': 'users',
      'app.kubernetes.io/component': 'service',
      ...ownerLabel(users),
    });
    expect(findObject(manifests, 'Namespace', 'payments')).toBeDefined();
  });

  test('the default namespace is not created, and its other pods are not cut off: the policies cover the platform\'s pods only', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const chart = new Chart(Testing.app(), 'c');
    new ServiceCluster(chart, 'Users', { image });
    const manifests = manifestsOf(chart);
    expect(manifests.filter(o => o.kind === 'Namespace')).toHaveLength(0);
    expect(findObject(manifests, 'Deployment', 'users').metadata.namespace).toBe('default');
    const platformPods = { matchLabels: { 'app.kubernetes.io/part-of': 'platform', 'app.kubernetes.io/managed-by': 'cdk-portable-platform' } };
    expect(findObject(manifests, 'NetworkPolicy', 'default-deny-all').spec.podSelector).toEqual(platformPods);
    expect(findObject(manifests, 'NetworkPolicy', 'allow-dns-egress').spec.podSelector).toEqual(platformPods);
    expect(warn.mock.calls.map(args => String(args[0]))).toEqual(['[Warning at /c/PortablePlatform] objects go to the shared namespace "default", ' +
      'which the platform does not own: Pod Security "restricted" is not enforced and the default-deny policy covers only the platform\'s pods; ' +
      'set the Chart\'s namespace (or KubernetesPlatform namespace) [ack: cdk-portable-platform:KubernetesPlatform:defaultNamespace]']);
    warn.mockRestore();
  });

  test('an existing namespace the platform does not create keeps its other pods reachable too', () => {
    const chart = kubernetesChart('c', 'shared');
    new KubernetesPlatform(chart, 'Platform', { createNamespace: false });
    new ServiceCluster(chart, 'Users', { image });
    expect(findObject(manifestsOf(chart), 'NetworkPolicy', 'default-deny-all').spec.podSelector.matchLabels)
      .toEqual({ 'app.kubernetes.io/part-of': 'platform', 'app.kubernetes.io/managed-by': 'cdk-portable-platform' });
  });

  test('one per chart; a bad namespace is rejected', () => {
    const chart = kubernetesChart();
    KubernetesPlatform.of(chart);
    expect(() => new KubernetesPlatform(chart, 'Again')).toThrow(/platform\/Again: a KubernetesPlatform already exists in chart platform/);
    expect(() => new KubernetesPlatform(kubernetesChart('x', 'x'), 'P', { namespace: 'Bad_NS' }))
      .toThrow(/x\/P: namespace is not a DNS label \(got "Bad_NS"\)/);
  });

  test('an AWS-only peer is rejected on Kubernetes', () => {
    const stack = awsStack();
    const users = new ServiceCluster(kubernetesChart(), 'Users', { image });
    const awsService = new ServiceCluster(stack, 'Orders', { image });
    expect(() => users.allowFrom(awsService)).toThrow(/Users: allowFrom\(peer\) got an AWS-only peer \(security groups\) on kubernetes/);
  });
});
