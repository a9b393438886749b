import { Stack } from 'aws-cdk-lib';
import { admittedComponents, awsReferencePlatform, countByKind, deployedContainer, ingressRules, listenerPort, templateOf } from './fixtures';
import { defineReferencePlatform } from '../../examples/reference-platform';
import { AwsPlatform } from '../../src/platform/aws-platform';
import { PlatformProfile } from '../../src/platform/profile';
import { platformWarningsOf } from '../../src/platform/warnings';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

const production = awsReferencePlatform();
const { platform } = production;
const components = {
  gateway: platform.gateway,
  users: platform.users,
  products: platform.products,
  orders: platform.orders,
  realtime: platform.realtime,
  observability: platform.observability,
  database: platform.database,
};

/** Every template of the app: the root stack and any nested stacks (the services' own, once they have them). */
function resourceTypes(stack: Stack): string[] {
  const stacks = [stack, ...stack.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c !== stack)];
  return stacks.flatMap(s => Object.values<any>(templateOf(s).Resources).map(r => r.Type));
}

describe('reference platform on AWS', () => {
  test.each([PlatformProfile.PRODUCTION, PlatformProfile.DEVELOPMENT])('%s profile: cdk-nag, cfn-lint and moto CREATE_COMPLETE', profile => {
    const { stack } = profile === PlatformProfile.PRODUCTION ? production : awsReferencePlatform(profile);
    const report = expectAwsConformance([stack]);
    expect(report.moto.every(m => m.status === 'CREATE_COMPLETE')).toBe(true);
    const types = resourceTypes(stack);
    expect(types).toHaveLength(report.resources);
    console.info(`reference platform on AWS (${profile}): ${report.resources} resources in ${1 + report.nestedStacks} template(s) ` +
      `(${countByKind(types.map(t => t.replace(/^AWS::/, '')))}); cdk-nag ${report.nagFindings.length} findings ` +
      `(${report.nagSuppressed} acknowledged with reasons); cfn-lint ${report.cfnLintErrors.length} errors, ${report.cfnLintWarnings.length} warnings ` +
      `(${[...new Set(report.cfnLintWarnings.map(w => w.ruleId))].join(', ') || 'none'}); moto ${report.moto.map(m => `${m.stackName} ${m.status} ` +
        `${m.resourcesCreated}/${m.resourcesInTemplate} created, skipped ${m.unsupportedTypes.join(', ') || 'none'}, stand-ins ${m.emulatedTypes.join(', ') || 'none'}`).join('; ')}`);
  });

  test('services get the cache and Mongo endpoints as environment and their credentials as ECS secrets only', () => {
    for (const service of [platform.users, platform.products]) {
      const container = deployedContainer(service);
      const env = Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
      expect(env).toMatchObject({ REDIS_PORT: '6380', REDIS_TLS: 'true', MONGODB_USERNAME: 'clusteradmin' });
      expect(env.REDIS_HOST).toBeDefined();
      expect(JSON.stringify(env.MONGODB_URI)).toMatch(/:27017\/(users|catalog)\?authSource=admin&w=majority&tls=true&retryWrites=false/);
      // Passwords are ECS secrets read from Secrets Manager at start-up: references, never values.
      const secrets = Object.fromEntries(container.Secrets.map((s: any) => [s.Name, s.ValueFrom]));
      expect(Object.keys(secrets).sort()).toEqual(['MONGODB_PASSWORD', 'REDIS_PASSWORD']);
      for (const valueFrom of Object.values(secrets)) {
        // A reference to the secret (Ref / Fn::Join of its ARN), resolved by ECS when the task starts.
        expect(typeof valueFrom === 'object' || String(valueFrom).startsWith('arn:')).toBe(true);
      }
      expect(Object.keys(env).filter(name => /PASSWORD|SECRET|TOKEN/.test(name))).toEqual([]);
    }
    expect(deployedContainer(platform.orders).Environment.map((e: any) => e.Name)).not.toContain('REDIS_HOST');
    expect(deployedContainer(platform.realtime).Environment.map((e: any) => e.Name).filter((n: string) => n.startsWith('MONGODB_'))).toEqual([]);
    expect(deployedContainer(platform.realtime).Secrets.map((s: any) => s.Name)).toEqual(['REDIS_PASSWORD']);
  });

  test('security groups admit only what was declared', () => {
    const rules = ingressRules(production.stack);
    expect(admittedComponents(rules, platform.cache.aws!.securityGroup, components)).toEqual(['gateway', 'products', 'realtime', 'users']);
    // The sharding task is the cluster's own (it runs shardCollection).
    expect(admittedComponents(rules, platform.database.aws!.securityGroup, components)).toEqual(['database', 'orders', 'products', 'users']);
    // Each service has its own listener port on the shared internal load balancer: only its callers reach it.
    const loadBalancerGroup = platform.users.aws!.loadBalancer.connections.securityGroups[0];
    expect(admittedComponents(rules, loadBalancerGroup, components, listenerPort(platform.products))).toEqual(['gateway', 'orders']);
    for (const service of [platform.users, platform.orders, platform.realtime]) {
      expect(admittedComponents(rules, loadBalancerGroup, components, listenerPort(service))).toEqual(['gateway']);
    }
  });

  test('the observability stack discovered every construct with metrics, without extra code', () => {
    const withMetrics = production.stack.node.findAll().filter(c => (c as any).metricsSource).map(c => (c as any).metricsSource.job).sort();
    // ElastiCache and DocumentDB Elastic publish CloudWatch metrics, not Prometheus: no metricsSource on AWS.
    expect(withMetrics).toEqual(['api', 'orders', 'products', 'realtime', 'users']);
    expect(platform.observability.watchedMetricsSources().map(s => s.job).sort()).toEqual(withMetrics);
    // The collector finds each observed task by the Docker labels it added to the container.
    for (const service of [platform.users, platform.products, platform.orders, platform.realtime]) {
      expect(deployedContainer(service).DockerLabels).toMatchObject({ PLATFORM_METRICS_PORT: '9090', PLATFORM_METRICS_JOB: service.serviceName });
    }
  });

  test('every service deploys gated by its SLO alarms, orders because it asks for it', () => {
    expect(platform.orders.rolloutStrategy.strategyType).toBe('slo-gated-canary');
    const alarmNames = Object.values<any>(templateOf(production.stack).Resources).filter(r => r.Type === 'AWS::CloudWatch::Alarm')
      .map(r => r.Properties.AlarmName).filter(Boolean);
    for (const service of [platform.users, platform.products, platform.orders, platform.realtime]) {
      const ecs = Object.values<any>(templateOf(service.aws!.stack).Resources).find(r => r.Type === 'AWS::ECS::Service');
      const gate = [`Shop-${service.serviceName}-SloErrorBudgetBurnFast`, `Shop-${service.serviceName}-SloErrorRateHigh`];
      expect(ecs.Properties.DeploymentConfiguration.Alarms).toEqual({ AlarmNames: gate, Enable: true, Rollback: true });
      expect(alarmNames).toEqual(expect.arrayContaining(gate));
    }
  });

  test('the development profile takes one NAT gateway and a week of logs, where the platform owns the VPC', () => {
    const development = awsReferencePlatform(PlatformProfile.DEVELOPMENT);
    const count = (stack: Stack, type: string) => Object.values<any>(templateOf(stack).Resources).filter(r => r.Type === type);
    expect(count(production.stack, 'AWS::EC2::NatGateway')).toHaveLength(3);
    expect(count(development.stack, 'AWS::EC2::NatGateway')).toHaveLength(1);
    expect(new Set(count(development.stack, 'AWS::Logs::LogGroup').map(g => g.Properties.RetentionInDays))).toEqual(new Set([7]));
    expect(new Set(count(production.stack, 'AWS::Logs::LogGroup').map(g => g.Properties.RetentionInDays))).toEqual(new Set([90]));
    // A platform the Stack already has is left alone.
    const stack = awsStack('Shop');
    new AwsPlatform(stack, 'Shared', { natGateways: 2 });
    defineReferencePlatform(stack, { profile: PlatformProfile.DEVELOPMENT });
    expect(count(stack, 'AWS::EC2::NatGateway')).toHaveLength(2);
  });

  test('the development profile warns, as CDK warnings, about what it reduces', () => {
    const { stack } = awsReferencePlatform(PlatformProfile.DEVELOPMENT);
    expect(platformWarningsOf(stack).map(w => `${w.path} ${w.id}`)).toEqual([
      'Shop/Shop/Database cdk-portable-platform:mongo-sharded-cluster:membersPerShard',
      'Shop/Shop/Api cdk-portable-platform:gateway:minReplicas',
    ]);
    expect(platformWarningsOf(production.stack)).toEqual([]);
  });
});
