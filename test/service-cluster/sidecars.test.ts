import { Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PlatformSecret, ServiceCluster } from '../../src';
import { expectAwsConformance } from '../conformance/aws';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

const ENVOY = {
  name: 'envoy',
  image: 'envoyproxy/envoy:v1.31.2',
  healthCheckCommand: ['/usr/local/bin/envoy-ready'],
  cpu: 0.5,
  memory: Size.mebibytes(512),
  args: ['--config-path', '/etc/envoy/envoy.yaml'],
  environment: { ENVOY_UID: '65532' },
  secrets: { UPSTREAM_TOKEN: PlatformSecret.named('envoy-upstream', 'token') },
};

function container(definitions: any[], name: string): any {
  return definitions.find(d => d.Name === name || d.name === name);
}

describe('sidecars, pod labels and annotations', () => {
  test('Kubernetes: the sidecar runs restricted beside the app; labels and annotations reach the pods, not the selector', () => {
    const chart = kubernetesChart();
    const service = new ServiceCluster(chart, 'Users', {
      image: 'ghcr.io/acme/users:1.4.2', sidecars: [ENVOY], podLabels: { 'acme.example/team': 'identity' }, podAnnotations: { 'acme.example/cost-centre': 'cc-42' },
    });
    service.addSidecar({ name: 'log-agent', image: 'fluent/fluent-bit:3.1.9', healthCheckCommand: ['/fluent-bit/bin/fluent-bit', '--version'] });
    const manifests = manifestsOf(chart);
    const deployment = findObject(manifests, 'Deployment', 'users');
    const pod = deployment.spec.template;
    expect(pod.spec.containers.map((c: any) => c.name)).toEqual(['app', 'envoy', 'log-agent']);
    const envoy = container(pod.spec.containers, 'envoy');
    expect(envoy.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '512Mi' } });
    expect(envoy.env).toEqual([
      { name: 'ENVOY_UID', value: '65532' },
      { name: 'UPSTREAM_TOKEN', valueFrom: { secretKeyRef: { name: 'envoy-upstream', key: 'token' } } },
    ]);
    expect(envoy.securityContext).toMatchObject({
      readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 65532,
    });
    expect(pod.metadata.labels['acme.example/team']).toBe('identity');
    expect(pod.metadata.annotations).toEqual({ 'acme.example/cost-centre': 'cc-42' });
    expect(deployment.spec.selector.matchLabels['acme.example/team']).toBeUndefined();
    expectKubernetesConformance(manifests);
  });

  test('AWS: the task grows to the smallest Fargate size that fits; labels tag the service, annotations label the app container', () => {
    const stack = awsStack();
    const service = new ServiceCluster(stack, 'Users', {
      image: 'ghcr.io/acme/users:1.4.2',
      cpu: 0.5,
      memory: Size.mebibytes(1024),
      sidecars: [ENVOY],
      podLabels: { 'acme.example/team': 'identity' },
      podAnnotations: { 'acme.example/cost-centre': 'cc-42' },
    });
    service.addSidecar({ name: 'log-agent', image: 'fluent/fluent-bit:3.1.9', healthCheckCommand: ['/fluent-bit/bin/fluent-bit', '--version'] });
    const template = Template.fromStack(service.aws!.stack).toJSON();
    const task = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::ECS::TaskDefinition').Properties;
    // 0.5 + 0.5 + 0.25 vCPU and 1024 + 512 + 256 MiB: 2 vCPU (the next size above 1.25) with 4096 MiB, its smallest memory.
    expect({ cpu: task.Cpu, memory: task.Memory }).toEqual({ cpu: '2048', memory: '4096' });
    expect(task.ContainerDefinitions.map((d: any) => d.Name)).toEqual(['app', 'envoy', 'log-agent']);
    const envoy = container(task.ContainerDefinitions, 'envoy');
    expect(envoy).toMatchObject({ Essential: true, Cpu: 512, MemoryReservation: 512, ReadonlyRootFilesystem: true, User: '65532:65532' });
    expect(envoy.Secrets).toEqual([{ Name: 'UPSTREAM_TOKEN', ValueFrom: expect.anything() }]);
    expect(container(task.ContainerDefinitions, 'app').DockerLabels).toMatchObject({ 'acme.example/cost-centre': 'cc-42' });
    const ecsService = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::ECS::Service').Properties;
    expect(ecsService.Tags).toEqual(expect.arrayContaining([{ Key: 'acme.example/team', Value: 'identity' }]));
    expect(ecsService.PropagateTags).toBe('SERVICE');
    expectAwsConformance([stack]);
  });

  test.each([
    ['a sidecar named like the app', { sidecars: [{ name: 'app', image: 'busybox:1.36', healthCheckCommand: ['true'] }] },
      'platform/Users: sidecars has an invalid container name (got "app"): use 1-63 lowercase letters, digits and "-", starting with a letter, other than "app"'],
    ['two sidecars with one name', { sidecars: [{ name: 'proxy', image: 'busybox:1.36', healthCheckCommand: ['true'] }, { name: 'proxy', image: 'busybox:1.36', healthCheckCommand: ['true'] }] },
      'platform/Users: sidecars has a duplicate container name (got "proxy"): give every sidecar its own name'],
    ['an unpinned sidecar image', { sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:latest', healthCheckCommand: ['true'] }] },
      'platform/Users: sidecars[proxy].image is not pinned (got "envoyproxy/envoy:latest"): use a tag other than latest, or a digest'],
    ['a credential in a sidecar variable', { sidecars: [{ name: 'proxy', image: 'busybox:1.36', healthCheckCommand: ['true'], environment: { API_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' } }] },
      'platform/Users: sidecars[proxy].environment.API_TOKEN'],
    ['a sidecar without a health check', { sidecars: [{ name: 'proxy', image: 'busybox:1.36', healthCheckCommand: [] }] },
      'platform/Users: sidecars[proxy].healthCheckCommand is empty (got []): give a command that exits 0 while the sidecar is healthy'],
    ['a label key the platform owns', { podLabels: { 'app.kubernetes.io/name': 'x' } },
      'platform/Users: podLabels has a key the platform sets itself (got "app.kubernetes.io/name"): use a prefix other than app.kubernetes.io/ and cdk-portable-platform.io/'],
    ['an invalid label value', { podLabels: { team: 'a b' } },
      'platform/Users: podLabels.team is not a label value (got "a b"): use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or "")'],
    ['an invalid annotation key', { podAnnotations: { 'bad key': 'x' } }, 'platform/Users: podAnnotations has an invalid key (got "bad key")'],
  ])('%s fails synthesis with a clear message', (_case, props, message) => {
    expect(() => new ServiceCluster(kubernetesChart(), 'Users', { image: 'ghcr.io/acme/users:1.4.2', ...props } as any)).toThrow(message);
  });

  test('AWS: sidecars that no Fargate size can hold are refused', () => {
    const service = new ServiceCluster(awsStack(), 'Users', { image: 'ghcr.io/acme/users:1.4.2', cpu: 16, memory: Size.gibibytes(120) });
    expect(() => service.addSidecar({ name: 'proxy', image: 'busybox:1.36', healthCheckCommand: ['true'] }))
      .toThrow('Platform/Users: sidecars[proxy] makes the task larger than Fargate offers (got "16.25 vCPU, 123136 MiB in all"): keep the application and its sidecars within 16 vCPU and 120 GiB');
  });
});
