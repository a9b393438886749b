import { MessageQueue, PlatformSecret, QueueWorker, ServiceCluster } from '../../src';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

describe('addSecretFile', () => {
  const ca = PlatformSecret.named('store-tls', 'ca.crt');

  test('mounts the key read-only into the container, once, and returns its path', () => {
    const chart = kubernetesChart();
    const service = new ServiceCluster(chart, 'Api', { image: 'nginx:1.27' });
    expect(service.addSecretFile(ca, '/etc/store')).toBe('/etc/store/ca.crt');
    expect(service.addSecretFile(ca, '/etc/store')).toBe('/etc/store/ca.crt');
    const pod = findObject(manifestsOf(chart), 'Deployment', 'api').spec.template.spec;
    expect(pod.volumes.filter((v: any) => v.secret)).toEqual([
      { name: 'store-tls-ca-crt', secret: { secretName: 'store-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } },
    ]);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'store-tls-ca-crt', mountPath: '/etc/store', readOnly: true });
  });

  test('the same key in two directories gets two volumes with distinct names', () => {
    const chart = kubernetesChart();
    const service = new ServiceCluster(chart, 'Api', { image: 'nginx:1.27' });
    service.addSecretFile(ca, '/etc/a');
    service.addSecretFile(ca, '/etc/b');
    const pod = findObject(manifestsOf(chart), 'Deployment', 'api').spec.template.spec;
    expect(pod.volumes.filter((v: any) => v.secret).map((v: any) => v.name)).toEqual(['store-tls-ca-crt', 'store-tls-ca-crt-2']);
  });

  test('a queue worker mounts it too', () => {
    const chart = kubernetesChart();
    const queue = new MessageQueue(chart, 'Events');
    const worker = new QueueWorker(chart, 'Worker', { image: 'nginx:1.27', queue, healthCheckCommand: ['/app/worker', 'healthcheck'] });
    expect(worker.addSecretFile(ca, '/etc/store')).toBe('/etc/store/ca.crt');
    const pod = findObject(manifestsOf(chart), 'Deployment', 'worker').spec.template.spec;
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'store-tls-ca-crt', mountPath: '/etc/store', readOnly: true });
  });

  test('refuses another key in a directory already used, and paths that are not absolute', () => {
    const service = new ServiceCluster(kubernetesChart(), 'Api', { image: 'nginx:1.27' });
    service.addSecretFile(ca, '/etc/store');
    expect(() => service.addSecretFile(PlatformSecret.named('other', 'ca.crt'), '/etc/store'))
      .toThrow('platform/Api: addSecretFile(directory) already holds store-tls/ca.crt (got "/etc/store"): mount each Secret key in its own directory');
    expect(() => service.addSecretFile(ca, 'etc/../store'))
      .toThrow('platform/Api: addSecretFile(directory) is not an absolute directory path (got "etc/../store"): start with "/", use letters, digits, ".", "_", "-" and "/", no ".." segment');
  });

  test('fails on AWS, where ECS passes secrets as environment only', () => {
    const service = new ServiceCluster(awsStack(), 'Api', { image: 'nginx:1.27' });
    expect(() => service.addSecretFile(ca, '/etc/store'))
      .toThrow('Platform/Api: addSecretFile is not supported on aws: ECS passes secrets as environment variables only; read the value with addSecret');
  });
});
