import { gunzipSync } from 'zlib';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { parse } from 'yaml';
import { expectGatewayAwsConformance, FakeRedis, JWT, MOTO_CERTIFICATE_ARN, smallGateway } from './fixtures';
import { referenceProblems, schemaProblems } from './traefik-schema';
import { Gateway, GatewayPolicy, JwtVerifier, RouteTarget } from '../../src/gateway';
import { ServiceCluster } from '../../src/service-cluster';
import { awsConformanceProblems, checkAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

function render(props: Parameters<typeof smallGateway>[1] = {}) {
  const stack = awsStack();
  const built = smallGateway(stack, props);
  return { stack, ...built, template: Template.fromStack(stack) };
}

function traefikContainer(template: Template): any {
  const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))
    .find((t: any) => t.Properties.ContainerDefinitions.some((c: any) => c.Name === 'traefik')) as any;
  return task.Properties.ContainerDefinitions.find((c: any) => c.Name === 'traefik');
}

function environment(container: any): Record<string, string> {
  return Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
}

describe('Gateway on AWS', () => {
  test('matches the snapshot', () => {
    expect(render({ jwt: JWT, rateLimit: { average: 100 } }).template.toJSON()).toMatchSnapshot();
  });

  test('ALB: internet-facing in public subnets, invalid headers dropped, access logs, deletion protection', () => {
    const { template } = render();
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.prefix', Value: 'gateway-api' },
      ]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '60' }]),
    });
  });

  test('HTTPS with the given certificate and a TLS 1.2+ policy; HTTP redirects permanently to HTTPS', () => {
    const { template } = render();
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: Match.stringLikeRegexp('^arn:aws:acm:') }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
  });

  test('without a certificate, one is created for domainName, validated in the hosted zone, with an alias record', () => {
    const stack = awsStack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const users = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    new Gateway(stack, 'Api', { domainName: 'api.example.com', aws: { hostedZone: zone }, routes: [{ pathPrefix: '/v1', target: RouteTarget.service(users) }] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com', ValidationMethod: 'DNS', DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A', AliasTarget: Match.anyValue() });
  });

  test('WAF: regional web ACL with a per-IP rate rule and the managed common and known-bad-inputs groups, on the ALB', () => {
    const { template } = render();
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({ Name: 'rate-limit-per-ip', Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } } }),
        Match.objectLike({
          Name: 'AWSManagedRulesCommonRuleSet',
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet', RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] } },
        }),
        Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet', OverrideAction: { None: {} } }),
      ],
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('ApiLoadBalancer') }, WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiWebAcl'), 'Arn'] },
    });
  });

  test('Traefik on Fargate: pinned image, non-root, read-only root, both configs from the environment, health check', () => {
    const container = traefikContainer(render().template);
    expect(container).toMatchObject({ Image: 'traefik:v3.5.3', User: '65532:65532', ReadonlyRootFilesystem: true, Essential: true, EntryPoint: ['/bin/sh', '-c'] });
    expect(container.Command[0]).toMatch(/^mkdir -p \/tmp\/traefik\/dynamic && .* && exec traefik --configFile=\/tmp\/traefik\/traefik.yaml$/);
    expect(container.HealthCheck.Command).toEqual(['CMD', 'traefik', 'healthcheck', '--configFile=/tmp/traefik/traefik.yaml']);
    expect(container.PortMappings.map((p: any) => p.ContainerPort)).toEqual([8443, 8082, 9100]);
    const staticConfig = staticConfigOf(container);
    expect(staticConfig.providers.file.directory).toBe('/tmp/traefik/dynamic');
    // The load balancer's X-Forwarded-For is kept: it is the client address rate limits count by.
    expect(staticConfig.entryPoints.websecure.forwardedHeaders).toEqual({ trustedIPs: ['10.0.0.0/16'] });
  });

  test('the environment holds the same dynamic configuration, for the load balancer hop', () => {
    const { gateway, template } = render({ jwt: JWT, ipAllowList: ['203.0.113.0/24'] });
    const config = parse(gunzipSync(Buffer.from(environment(traefikContainer(template)).TRAEFIK_DYNAMIC_CONFIG, 'base64')).toString('utf8'));
    expect(config).toEqual(gateway.traefikDynamicConfig());
    expect(schemaProblems(config)).toEqual([]);
    expect(referenceProblems(config, ['web', 'websecure'])).toEqual([]);
    // Behind the ALB the client is the last X-Forwarded-For entry; Traefik serves its own certificate to the ALB.
    expect(config.http.middlewares['ip-allow-list'].ipAllowList).toEqual({ sourceRange: ['203.0.113.0/24'], ipStrategy: { depth: 1 } });
    expect(config.tls.stores).toBeUndefined();
    expect(config.http.services.users.loadBalancer.servers[0].url).toMatch(/^http:\/\/users\.platform\.internal:\d+$/);
  });

  test('target group: HTTPS to websecure, health checked on the ping port', () => {
    render().template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Protocol: 'HTTPS', Port: 8443, TargetType: 'ip', HealthCheckProtocol: 'HTTP', HealthCheckPort: '8082', HealthCheckPath: '/ping',
    });
  });

  test('network: the ALB reaches websecure and ping only; upstream listeners admit the gateway tasks', () => {
    const { template, users } = render();
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 8443, ToPort: 8443, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiLoadBalancerSecurityGroup'), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: users.endpoint.port, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiSecurityGroup'), 'GroupId'] },
    });
  });

  test('autoscaling 2-10 tasks on CPU; metrics found by the ECS observer labels', () => {
    const { template, gateway } = render();
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2, DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }) });
    expect(gateway.metricsSource).toMatchObject({ port: 9100, kind: 'gateway', path: '/metrics' });
    expect(traefikContainer(template).DockerLabels).toEqual({ ECS_PROMETHEUS_EXPORTER_PORT: '9100', ECS_PROMETHEUS_METRICS_PATH: '/metrics', ECS_PROMETHEUS_JOB_NAME: 'api' });
    expect(gateway.endpoint.url).toBe('https://api.example.com:443');
  });

  test('JWT sidecar: Envoy container, Traefik starts after it', () => {
    const { template } = render({ jwt: JWT });
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition')).find((t: any) => t.Properties.ContainerDefinitions.length === 2) as any;
    const verifier = task.Properties.ContainerDefinitions.find((c: any) => c.Name === 'jwt-verifier');
    expect(verifier).toMatchObject({ Image: 'envoyproxy/envoy-distroless:v1.31.2', ReadonlyRootFilesystem: true, User: '65532:65532' });
    expect(traefikContainer(template).DependsOn).toEqual([{ ContainerName: 'jwt-verifier', Condition: 'START' }]);
  });

  test('JWT at the load balancer: jwt-validation default action, public routes and CORS preflight as rules', () => {
    const stack = awsStack();
    const { gateway, users } = smallGateway(stack, {
      jwt: { ...JWT, verifier: JwtVerifier.loadBalancer() }, cors: { allowOrigins: ['https://app.example.com'] },
    });
    gateway.addRoute({ name: 'health', path: '/healthz', target: RouteTarget.service(users), disable: [GatewayPolicy.JWT] });
    const template = Template.fromStack(stack);
    const validation = {
      Type: 'jwt-validation',
      Order: 1,
      JwtValidationConfig: {
        Issuer: JWT.issuer, JwksEndpoint: JWT.jwksUrl, AdditionalClaims: [{ Name: 'aud', Format: 'single-string', Values: JWT.audiences }],
      },
    };
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, DefaultActions: [validation, Match.objectLike({ Type: 'forward', Order: 2 })] });
    const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule')).map((r: any) => r.Properties);
    const isPreflight = (r: any) => JSON.stringify(r.Conditions).includes('OPTIONS');
    const byPath = (path: string) => rules.find(r => !isPreflight(r) && JSON.stringify(r.Conditions).includes(path));
    // Each CORS route's preflight rules (host, OPTIONS, Origin, ACRM and one path value each: five, ALB's
    // most), just before the route's own: never one for every path.
    const preflights = rules.filter(r => isPreflight(r) && JSON.stringify(r.Conditions).includes('/v1/users'));
    const usersPriority = byPath('/v1/users/*').Priority;
    expect(preflights.map(r => r.Priority)).toEqual([usersPriority - 2, usersPriority - 1]);
    expect(preflights.map(r => r.Conditions)).toEqual(['/v1/users', '/v1/users/*'].map(path => [
      { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['OPTIONS'] } },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Origin', Values: ['?*'] } },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Access-Control-Request-Method', Values: ['?*'] } },
      { Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } },
      { Field: 'path-pattern', PathPatternConfig: { Values: [path] } },
    ]));
    expect(preflights.every(r => r.Actions[0].Type === 'forward')).toBe(true);
    expect(byPath('/healthz').Actions).toEqual([Match.objectLike({ Type: 'forward' })].map(() => expect.objectContaining({ Type: 'forward' })));
    expect(byPath('/v1/users/*').Actions[0]).toEqual(validation);
    expect(byPath('/v1/users/*').Conditions).toContainEqual({ Field: 'path-pattern', PathPatternConfig: { Values: ['/v1/users', '/v1/users/*'] } });
    // Priorities follow Traefik's order: longer (more specific) rules first. /healthz verifies nothing: no preflight rule.
    expect(rules.map(r => r.Priority).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 10]);
    expect(byPath('/v1/orders/*').Priority).toBeLessThan(byPath('/healthz').Priority);
    // Traefik no longer verifies: no forwardAuth, no sidecar.
    expect(gateway.traefikDynamicConfig().http.middlewares.jwt).toBeUndefined();
  });

  test('JWT at the load balancer with CORS: a preflight-shaped OPTIONS to a route without CORS is verified', () => {
    const stack = awsStack();
    const { gateway, users } = smallGateway(stack, {
      jwt: { ...JWT, verifier: JwtVerifier.loadBalancer() }, cors: { allowOrigins: ['https://app.example.com'] },
    });
    // More specific than /v1/users, and its chain has no CORS middleware: Traefik would pass OPTIONS to the service.
    gateway.addRoute({ name: 'admin', pathPrefix: '/v1/users/admin', target: RouteTarget.service(users), disable: [GatewayPolicy.CORS] });
    const rules = Object.values(Template.fromStack(stack).findResources('AWS::ElasticLoadBalancingV2::ListenerRule')).map((r: any) => r.Properties);
    const preflights = rules.filter(r => JSON.stringify(r.Conditions).includes('OPTIONS'));
    const paths = (r: any) => r.Conditions.filter((c: any) => c.Field === 'path-pattern').flatMap((c: any) => c.PathPatternConfig.Values);
    expect(preflights.map(paths).sort()).toEqual([['/v1/orders'], ['/v1/orders/*'], ['/v1/users'], ['/v1/users/*']]);
    const admin = rules.find(r => paths(r).includes('/v1/users/admin/*'));
    expect(admin.Actions[0].Type).toBe('jwt-validation');
    // The admin route is evaluated before the users route's preflight rule, which would otherwise match /v1/users/admin/x.
    for (const usersPreflight of preflights.filter(r => paths(r)[0].startsWith('/v1/users'))) expect(admin.Priority).toBeLessThan(usersPreflight.Priority);
  });

  test('JWT at the load balancer with CORS: a route whose preflight rule exceeds the ALB condition limit is refused', () => {
    const stack = awsStack();
    const { gateway, users } = smallGateway(stack, {
      jwt: { ...JWT, verifier: JwtVerifier.loadBalancer() }, cors: { allowOrigins: ['https://app.example.com'] },
    });
    expect(() => gateway.addRoute({ name: 'multi', hosts: ['a.example.com', 'b.example.com'], path: '/multi', target: RouteTarget.service(users) }))
      .toThrow(/Platform\/Api: routes\[multi\]\.match has too many conditions for its CORS preflight rule .*: with JwtVerifier.loadBalancer\(\) and CORS a route's preflight rule adds 3 condition values/);
  });

  test('distributed rate limit: the store password is a Secrets Manager secret, the store admits the gateway', () => {
    const store = new FakeRedis();
    const { template, gateway } = render({ rateLimit: { average: 50, burst: 100, period: Duration.minutes(1), store } });
    expect(traefikContainer(template).Secrets).toEqual([
      { Name: 'RATE_LIMIT_STORE_1_PASSWORD', ValueFrom: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':secret:ratelimit-auth:password::')])] } },
    ].map(s => expect.objectContaining({ Name: s.Name })));
    expect(gateway.traefikDynamicConfig().http.middlewares['rate-limit'].rateLimit).toMatchObject({
      average: 50,
      burst: 100,
      period: '60s',
      sourceCriterion: { ipStrategy: { depth: 1 } },
      redis: { endpoints: ['ratelimit.platform.internal:6379'], password: '{{ env "RATE_LIMIT_STORE_1_PASSWORD" }}' },
    });
    expect(store.admitted).toEqual([gateway]);
  });

  test('a WebSocket route raises the idle timeout, also when added after construction', () => {
    const stack = awsStack();
    const { gateway, users } = smallGateway(stack);
    gateway.addRoute({ name: 'live', pathPrefix: '/ws', websocket: true, target: RouteTarget.service(users) });
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '3600' }]),
    });
  });

  test('conformance: cdk-nag, cfn-lint and moto', () => {
    const { report, motoReport } = expectGatewayAwsConformance((stack, certificateArn) => {
      const { gateway, users } = smallGateway(stack, {
        aws: { certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn) },
        jwt: JWT,
        cors: { allowOrigins: ['https://app.example.com'] },
        rateLimit: { average: 100, store: new FakeRedis() },
        circuitBreaker: {},
        retry: { attempts: 3 },
      });
      gateway.addRoute({ name: 'partner', pathPrefix: '/partner', target: RouteTarget.url('https://partner.example.net') });
      gateway.addRoute({ name: 'health', path: '/healthz', target: RouteTarget.service(users), disable: [GatewayPolicy.JWT] });
    });
    expect(report.resources).toBeGreaterThan(80);
    expect(motoReport.moto.map(m => m.status)).toEqual(['CREATE_COMPLETE']);
  });

  test('conformance with JWT verified by the load balancer (moto does not know the jwt-validation action)', () => {
    const stack = awsStack();
    const { gateway, users } = smallGateway(stack, { jwt: { ...JWT, verifier: JwtVerifier.loadBalancer() }, cors: { allowOrigins: ['https://app.example.com'] } });
    gateway.addRoute({ name: 'health', path: '/healthz', target: RouteTarget.service(users), disable: [GatewayPolicy.JWT] });
    const report = checkAwsConformance([stack], { moto: false });
    expect(awsConformanceProblems(report)).toEqual([]);

    const motoStack = awsStack();
    smallGateway(motoStack, {
      jwt: { ...JWT, verifier: JwtVerifier.loadBalancer() },
      aws: { certificate: acm.Certificate.fromCertificateArn(motoStack, 'Iam', MOTO_CERTIFICATE_ARN) },
    });
    const [moto] = checkAwsConformance([motoStack], { nag: false, cfnLint: false }).moto;
    // moto 5.x validates listener action types against [forward, redirect, fixed-response].
    expect(moto.status === 'CREATE_COMPLETE' || /InvalidActionType|jwt-validation/.test(moto.statusReason ?? '')).toBe(true);
    console.info(`load balancer JWT in moto: ${moto.status}: ${moto.statusReason}`);
  });
});

/** The static configuration with the VPC range (a token) replaced by a placeholder. */
function staticConfigOf(container: any): any {
  const value = environment(container).TRAEFIK_STATIC_CONFIG as any;
  return parse(typeof value === 'string' ? value : value['Fn::Join'][1].map((p: any) => typeof p === 'string' ? p : '10.0.0.0/16').join(''));
}
