import { execFileSync } from 'child_process';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { ServiceCluster } from '../../src';
import { PlatformValidationError } from '../../src/platform/errors';
import { PlatformTarget } from '../../src/platform/target';
import { renderContainerDefinition } from '../../src/service-cluster/aws-container';
import { resolveServiceClusterSpec } from '../../src/service-cluster/spec';
import { validateServiceCluster } from '../../src/service-cluster/validation';
import { ENGINE_TIMEOUT_MS, hostileString, PROPERTY_RUNS } from '../conformance/languages/hostile';
import { awsStack } from '../util';

const INPUTS = { logGroupName: 'logs', region: 'us-east-1', environment: {}, secrets: {}, dockerLabels: {} };

/**
 * Runs an ECS CMD-SHELL command as ECS does (`/bin/sh -c`), with wget and curl replaced by
 * functions that print their arguments: the argv wget would get, and nothing else.
 */
function wgetArgv(command: string): string[] {
  const stubs = 'wget() { printf "%s\\n" "$@" | od -An -c | tr -d " \\n"; printf "\\n"; }; curl() { echo CURL; }; ';
  // A bound on a hung shell, not a speed requirement: a loaded machine can take seconds to start one.
  const out = execFileSync('/bin/sh', ['-c', stubs + command], { encoding: 'utf8', timeout: 30_000 });
  return out.trim().split('\n').filter(l => l !== '');
}

function healthCommand(path: string): string[] {
  const stack = awsStack();
  const service = new ServiceCluster(stack, 'Api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, healthCheck: { path } });
  const spec = resolveServiceClusterSpec(service.serviceName, { image: 'ghcr.io/acme/api:1.0.0', port: 8080, healthCheck: { path } });
  return (renderContainerDefinition(spec, {}, INPUTS).healthCheck as ecs.CfnTaskDefinition.HealthCheckProperty).command as string[];
}

/** What `printf "%s\n" args | od -c` prints for wget's expected argv. */
function expectedArgv(url: string): string[] {
  return [execFileSync('/bin/sh', ['-c', 'printf "%s\\n" "$@" | od -An -c | tr -d " \\n"', 'sh', '-q', '-O', '/dev/null', url], { encoding: 'utf8' }).trim()];
}

describe('ServiceCluster on AWS: the container health check runs the probe on the path given, nothing else', () => {
  test('a query with "&" stays part of the URL instead of backgrounding wget', () => {
    const [kind, command] = healthCommand('/healthz?a=1&b=2');
    expect(kind).toBe('CMD-SHELL');
    expect(wgetArgv(command)).toEqual(expectedArgv('http://127.0.0.1:8080/healthz?a=1&b=2'));
  });

  test('"$(…)" in the path is not run inside the container', () => {
    const [, command] = healthCommand("/h$(echo;echo;echo)'x'");
    expect(wgetArgv(command)).toEqual(expectedArgv("http://127.0.0.1:8080/h$(echo;echo;echo)'x'"));
  });

  test('property: any health path is refused at construction or reaches wget as one argument, unchanged', () => {
    let rendered = 0;
    fc.assert(fc.property(hostileString, raw => {
      const path = `/${raw}`;
      const spec = resolveServiceClusterSpec('api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, healthCheck: { path } });
      const problems = validateServiceCluster(awsStack(), spec, PlatformTarget.AWS);
      if (problems.length > 0) {
        expect(problems.join('\n')).toMatch(/healthCheck.path is not an HTTP request path/);
        return;
      }
      rendered++;
      const [, command] = (renderContainerDefinition(spec, {}, INPUTS).healthCheck as ecs.CfnTaskDefinition.HealthCheckProperty).command as string[];
      expect(wgetArgv(command)).toEqual(expectedArgv(`http://127.0.0.1:8080${path}`));
      // A path that renders and one that is refused run whatever the seed.
    }), { ...PROPERTY_RUNS, examples: [['healthz?a=1&b=$(id)'], ['a b']] });
    expect(rendered).toBeGreaterThan(0);
  }, ENGINE_TIMEOUT_MS);

  test('an invalid path is refused with its message', () => {
    expect(() => new ServiceCluster(awsStack(), 'Api', { image: 'ghcr.io/acme/api:1.0.0', healthCheck: { path: '/a b' } }))
      .toThrow(PlatformValidationError);
  });
});
