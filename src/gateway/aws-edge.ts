import { Duration, Lazy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { albConditions, albJwtValidationAction, albPreflightRules, answersPreflight, MAX_PREFLIGHT_RULES_PER_ROUTE } from './alb-jwt-rules';
import { GatewayAwsOptions } from './props';
import { RouteSpec } from './route-spec';
import { GatewaySpec } from './spec';
import { traefikRule } from './traefik-rules';
import { PUBLIC_PORTS } from './traefik-static-config';
import { AwsPlatform } from '../platform/aws-platform';
import { acknowledgeNagFinding } from '../platform/nag';

/** The internet-facing half of the gateway on AWS. */
export interface AwsEdge {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  readonly httpsListener: elbv2.ApplicationListener;
  readonly httpListener: elbv2.ApplicationListener;
  readonly certificate: acm.ICertificate;
  readonly aliasRecord?: route53.ARecord;
  readonly webAcl: wafv2.CfnWebACL;
  readonly webAclAssociation: wafv2.CfnWebACLAssociation;
}

/**
 * An internet-facing ALB: HTTPS with TLS 1.2+, HTTP redirected to HTTPS, invalid headers dropped,
 * access logs, deletion protection, and a WAFv2 web ACL (per-IP rate rule, AWS managed common and
 * known-bad-inputs rule groups).
 */
export function renderAwsEdge(
  scope: Construct, spec: GatewaySpec, options: GatewayAwsOptions, targetGroup: elbv2.ApplicationTargetGroup, routes: () => readonly RouteSpec[],
): AwsEdge {
  const platform = AwsPlatform.of(scope);
  const loadBalancerSecurityGroup = new ec2.SecurityGroup(scope, 'LoadBalancerSecurityGroup', {
    vpc: platform.vpc,
    description: `Public entry point of gateway ${spec.name}: HTTP and HTTPS from anywhere`,
    allowAllOutbound: false,
  });
  acknowledgeNagFinding(loadBalancerSecurityGroup, 'AwsSolutions-EC23',
    'The internet-facing gateway load balancer accepts HTTP (redirected) and HTTPS from any address; the web ACL filters abuse');
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
    vpc: platform.vpc,
    internetFacing: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    securityGroup: loadBalancerSecurityGroup,
    dropInvalidHeaderFields: true,
    deletionProtection: options.deletionProtection ?? true,
  });
  // WebSocket routes may be added after construction: the idle timeout is decided at synth.
  loadBalancer.setAttribute('idle_timeout.timeout_seconds', Lazy.string({
    produce: () => `${(options.idleTimeout ?? (routes().some(r => r.websocket) ? Duration.hours(1) : Duration.seconds(60))).toSeconds()}`,
  }));
  loadBalancer.logAccessLogs(platform.accessLogsBucket, `gateway-${spec.name}`);

  const certificate = options.certificate ?? new acm.Certificate(scope, 'Certificate', {
    domainName: spec.domainName!,
    validation: acm.CertificateValidation.fromDns(options.hostedZone),
  });
  const httpsListener = loadBalancer.addListener('Https', {
    port: PUBLIC_PORTS.https,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [certificate],
    sslPolicy: options.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS,
    open: true,
    defaultTargetGroups: [targetGroup],
  });
  const httpListener = loadBalancer.addListener('Http', {
    port: PUBLIC_PORTS.http,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: true,
    defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: `${PUBLIC_PORTS.https}`, permanent: true }),
  });
  const aliasRecord = options.hostedZone && spec.domainName ? new route53.ARecord(scope, 'AliasRecord', {
    zone: options.hostedZone,
    recordName: spec.domainName,
    target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(loadBalancer)),
  }) : undefined;

  const { webAcl, webAclAssociation } = renderWebAcl(scope, spec, options, loadBalancer);
  return { loadBalancer, loadBalancerSecurityGroup, httpsListener, httpListener, certificate, aliasRecord, webAcl, webAclAssociation };
}

function renderWebAcl(scope: Construct, spec: GatewaySpec, options: GatewayAwsOptions, loadBalancer: elbv2.ApplicationLoadBalancer) {
  const metric = (name: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${spec.name}-${name}` });
  const managed = (name: string, priority: number, overrides: wafv2.CfnWebACL.RuleActionOverrideProperty[] = []) => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides: overrides.length > 0 ? overrides : undefined } },
    visibilityConfig: metric(name),
  });
  const webAcl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: metric('web-acl'),
    rules: [
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: options.wafRequestsPerFiveMinutes ?? 2000, aggregateKeyType: 'IP' } },
        visibilityConfig: metric('rate-limit-per-ip'),
      },
      // The gateway enforces its own body limit (maxRequestBodySize): the group's 8 KB body rule only counts.
      managed('AWSManagedRulesCommonRuleSet', 1, [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
    ],
  });
  const webAclAssociation = new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', {
    resourceArn: loadBalancer.loadBalancerArn,
    webAclArn: webAcl.attrArn,
  });
  return { webAcl, webAclAssociation };
}

/**
 * Points the HTTPS listener at the Traefik target group; with `JwtVerifier.loadBalancer()` the
 * default action verifies the token first, and every route becomes a listener rule (in Traefik's
 * order) so that routes opting out of JWT are forwarded without one.
 */
export class AwsListenerRouting {
  private readonly routes: RouteSpec[] = [];

  constructor(
    private readonly scope: Construct,
    private readonly spec: GatewaySpec,
    private readonly listener: elbv2.ApplicationListener,
    private readonly targetGroup: elbv2.ApplicationTargetGroup,
  ) {
    if (!this.verifies) return;
    const forward = { type: 'forward', targetGroupArn: targetGroup.targetGroupArn };
    // The L2 listener forwards to the target group (and attaches it); verification goes first.
    (listener.node.defaultChild as elbv2.CfnListener).defaultActions = [albJwtValidationAction(spec.jwt!, 1), { ...forward, order: 2 }];
  }

  private get verifies(): boolean {
    return this.spec.jwt?.verifier.kind === 'load-balancer';
  }

  public addRoute(route: RouteSpec): void {
    if (!this.verifies) return;
    this.routes.push(route);
    const forward = { type: 'forward', targetGroupArn: this.targetGroup.targetGroupArn };
    // Priorities follow Traefik's (longest rule first) over all routes, known only at synth. Each
    // route's preflight rules come just before its own: a more specific route, earlier, still wins.
    const slots = MAX_PREFLIGHT_RULES_PER_ROUTE + 1;
    const first = () => 2 + slots * this.order().indexOf(route.name);
    if (answersPreflight(route)) {
      albPreflightRules(route).forEach((conditions, i) => new elbv2.CfnListenerRule(this.scope, `Preflight${i}-${route.name}`, {
        listenerArn: this.listener.listenerArn,
        priority: Lazy.number({ produce: () => first() + i }),
        conditions,
        actions: [forward],
      }));
    }
    new elbv2.CfnListenerRule(this.scope, `Route-${route.name}`, {
      listenerArn: this.listener.listenerArn,
      priority: Lazy.number({ produce: () => first() + MAX_PREFLIGHT_RULES_PER_ROUTE }),
      conditions: albConditions(route),
      actions: route.jwt ? [albJwtValidationAction(this.spec.jwt!, 1), { ...forward, order: 2 }] : [forward],
    });
  }

  private order(): string[] {
    return [...this.routes]
      .sort((a, b) => traefikRule(b).length - traefikRule(a).length || a.name.localeCompare(b.name))
      .map(r => r.name);
  }
}
