import * as fc from 'fast-check';
import { PlatformSecret, ServiceCluster } from '../../src';
import { PlatformValidationError } from '../../src/platform/errors';
import { ENGINE_TIMEOUT_MS, hostileString, PROPERTY_RUNS } from '../conformance/languages/hostile';
import { expandKubernetes } from '../conformance/languages/kubernetes-expansion';
import { kubernetesChart } from '../util';

const SECRET_VALUE = 'the-database-password';

/** The container's env, command and args as the kubelet hands them to the process. */
function asStarted(service: ServiceCluster) {
  const container = service.kubernetes!.deployment.toJson().spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const v of container.env ?? []) {
    // The kubelet expands each value against the variables defined before it.
    env[v.name] = v.valueFrom ? SECRET_VALUE : expandKubernetes(v.value, env);
  }
  const expand = (list?: string[]) => list?.map(a => expandKubernetes(a, env));
  return { env, command: expand(container.command), args: expand(container.args) };
}

describe('ServiceCluster on Kubernetes: "$(…)" in user strings is not expanded by the kubelet', () => {
  test('an environment value naming a secret variable does not receive the secret', () => {
    const service = new ServiceCluster(kubernetesChart(), 'Api', {
      image: 'ghcr.io/acme/api:1.0.0',
      secrets: { DB_PASSWORD: PlatformSecret.named('db', 'password') },
      environment: { GREETING: 'costs $(DB_PASSWORD) or $$5' },
    });
    service.addEnvironment('LATER', 'also $(DB_PASSWORD)');
    const started = asStarted(service);
    expect(started.env.GREETING).toBe('costs $(DB_PASSWORD) or $$5');
    expect(started.env.LATER).toBe('also $(DB_PASSWORD)');
  });

  test('command and args reach the process as written, as on AWS', () => {
    const service = new ServiceCluster(kubernetesChart(), 'Api', {
      image: 'ghcr.io/acme/api:1.0.0',
      command: ['/app/run', '$(HOME)'],
      args: ['--price=$$3', '$(DB_PASSWORD)'],
      secrets: { DB_PASSWORD: PlatformSecret.named('db', 'password') },
    });
    expect(asStarted(service)).toMatchObject({ command: ['/app/run', '$(HOME)'], args: ['--price=$$3', '$(DB_PASSWORD)'] });
  });

  test('property: any environment value, command and argument reaches the process unchanged', () => {
    fc.assert(fc.property(hostileString, hostileString, hostileString, (value, command, arg) => {
      let service: ServiceCluster;
      try {
        service = new ServiceCluster(kubernetesChart(), 'Api', {
          image: 'ghcr.io/acme/api:1.0.0',
          command: [command],
          args: [arg],
          secrets: { DB_PASSWORD: PlatformSecret.named('db', 'password') },
          environment: { FIRST: `${value}`, SECOND: `x${value}` },
        });
      } catch (e) {
        // Refused at construction (a value that looks like a credential) is the other allowed outcome.
        if (e instanceof PlatformValidationError) return;
        throw e;
      }
      const started = asStarted(service);
      expect(started.env).toMatchObject({ FIRST: value, SECOND: `x${value}` });
      expect(started.command).toEqual([command]);
      expect(started.args).toEqual([arg]);
    }), PROPERTY_RUNS);
  }, ENGINE_TIMEOUT_MS);
});
