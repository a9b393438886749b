import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expectGatewayAwsConformance, smallGateway } from './fixtures';
import { RouteTarget } from '../../src/gateway';
import { dynamicConfigSizeProblems, encodeDynamicConfig, MAX_DYNAMIC_CONFIG_ENV_BYTES, traefikStartScript } from '../../src/gateway/aws-config-delivery';
import { traefikConfigYaml } from '../../src/gateway/traefik-config';
import { requireTool } from '../conformance/tools';
import { awsStack } from '../util';

/** A gateway with `count` routes, each stripping its prefix (a middleware of its own), over two services. */
function manyRoutes(stack: Stack, count: number) {
  const { gateway, users, orders } = smallGateway(stack);
  for (let i = 0; i < count - 2; i++) {
    gateway.addRoute({ name: `route-${i}`, pathPrefix: `/v2/resource-${i}`, target: RouteTarget.service(i % 2 ? users : orders), stripPrefix: true });
  }
  return gateway;
}

function traefikEnvironment(stack: Stack): Record<string, string> {
  const task = Object.values<any>(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition'))
    .find(t => t.Properties.ContainerDefinitions.some((c: any) => c.Name === 'traefik'));
  const container = task.Properties.ContainerDefinitions.find((c: any) => c.Name === 'traefik');
  return Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
}

describe('Gateway on AWS: the dynamic configuration fits the task definition', () => {
  test('it travels gzip-compressed and base64-encoded, and decodes to the configuration', () => {
    const stack = awsStack();
    const gateway = manyRoutes(stack, 10);
    const encoded = traefikEnvironment(stack).TRAEFIK_DYNAMIC_CONFIG;
    expect(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')).toBe(traefikConfigYaml(gateway.traefikDynamicConfig()));
  });

  test('the start script writes the decoded files and starts Traefik (sh, base64, gunzip)', () => {
    if (!requireTool('gunzip', 'apt-get install gzip') || !requireTool('base64', 'apt-get install coreutils')) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traefik-start-'));
    try {
      // A stand-in traefik prints the files it would read.
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'traefik'), '#!/bin/sh\ncat "${1#--configFile=}" && echo --- && cat "$(dirname "${1#--configFile=}")"/dynamic/*\n', { mode: 0o755 });
      const dynamic = 'http:\n  routers:\n    users:\n      rule: "PathPrefix(`/v1/users`)"\n';
      const run = spawnSync('/bin/sh', ['-c', traefikStartScript(path.join(dir, 'traefik'))], {
        env: { PATH: `${bin}:${process.env.PATH}`, TRAEFIK_STATIC_CONFIG: 'entryPoints: {}\n', TRAEFIK_DYNAMIC_CONFIG: encodeDynamicConfig(dynamic) },
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(`entryPoints: {}\n---\n${dynamic}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('sizes at 100, 150 and 300 routes', () => {
    const sizes = [100, 150, 300].map(count => {
      const yaml = traefikConfigYaml(manyRoutes(awsStack(), count).traefikDynamicConfig());
      return { count, yaml: Buffer.byteLength(yaml), encoded: encodeDynamicConfig(yaml).length };
    });
    console.info(`Traefik dynamic configuration on AWS: ${sizes.map(s => `${s.count} routes ${s.yaml} B raw, ${s.encoded} B in the task definition`).join('; ')}`);
    for (const s of sizes) expect(s.encoded).toBeLessThan(MAX_DYNAMIC_CONFIG_ENV_BYTES);
  });

  test('300 routes: cdk-nag, cfn-lint, moto, and ECS\'s 64 KiB task definition limit', () => {
    const { report } = expectGatewayAwsConformance(stack => { manyRoutes(stack, 300); });
    const traefik = report.taskDefinitions.filter(t => t.logicalId.startsWith('ApiTaskDefinition'));
    expect(traefik).toHaveLength(1);
    expect(traefik[0].bytes).toBeLessThan(64 * 1024);
  });

  test('a configuration that does not fit even compressed fails synthesis with the numbers', () => {
    expect(dynamicConfigSizeProblems('Platform/Api', 'x'.repeat(600_000), 'y'.repeat(60_000), 1000)).toEqual([
      'Platform/Api: routes make a Traefik dynamic configuration of 600000 bytes (60000 compressed) for 1000 route(s) (got 1000 routes): ' +
      'ECS accepts a task definition of at most 65536 bytes, 49152 of which the configuration may take; share middlewares between routes ' +
      '(gateway-wide policies), split the routes over several gateways, or render on Kubernetes, where the configuration is a ConfigMap',
    ]);
    expect(dynamicConfigSizeProblems('Platform/Api', 'x', 'y'.repeat(MAX_DYNAMIC_CONFIG_ENV_BYTES), 1)).toEqual([]);
  });
});
