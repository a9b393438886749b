import { IResolvable, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { SecurityGroupRule } from './security-group-rules';

/** The security-group rules under `root` (nested stacks included), as CloudFormation receives them. */
export function securityGroupRulesOf(constructs: readonly IConstruct[]): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [];
  for (const c of constructs) {
    if (c instanceof ec2.CfnSecurityGroup) {
      const group = c.node.path;
      const inline = (direction: 'ingress' | 'egress', list: unknown) => resolvedList(c, list).forEach((r: any, i: number) => rules.push({
        id: `${ruleName(c)} ${direction === 'ingress' ? 'SecurityGroupIngress' : 'SecurityGroupEgress'}[${i}]`,
        direction,
        group,
        peerGroup: groupKey(direction === 'ingress' ? r.sourceSecurityGroupId : r.destinationSecurityGroupId),
        cidr: cidrOf(r),
        protocol: String(r.ipProtocol),
        ...ports(r.fromPort, r.toPort),
      }));
      inline('ingress', c.securityGroupIngress);
      inline('egress', c.securityGroupEgress);
    } else if (c instanceof ec2.CfnSecurityGroupIngress) {
      rules.push(standaloneRule(c, 'ingress', c.sourceSecurityGroupId));
    } else if (c instanceof ec2.CfnSecurityGroupEgress) {
      rules.push(standaloneRule(c, 'egress', c.destinationSecurityGroupId));
    }
  }
  return rules;
}

/** A rule of its own resource (`AWS::EC2::SecurityGroupIngress`/`Egress`); `peerGroupId` is its source or destination group. */
function standaloneRule(
  c: ec2.CfnSecurityGroupIngress | ec2.CfnSecurityGroupEgress, direction: 'ingress' | 'egress', peerGroupId: string | undefined,
): SecurityGroupRule {
  return {
    id: ruleName(c),
    direction,
    group: groupKey(c.groupId)!,
    peerGroup: groupKey(peerGroupId),
    cidr: cidrOf(c),
    protocol: String(c.ipProtocol),
    ...ports(c.fromPort, c.toPort),
  };
}

/** `<group key>:<port>` → path of the listener on a load balancer in that group, to see through a shared load balancer. */
export function listenersOf(constructs: readonly IConstruct[]): Map<string, string> {
  const groupsOfBalancer = new Map<string, string[]>();
  for (const c of constructs) {
    if (c instanceof elbv2.CfnLoadBalancer && !Token.isUnresolved(c.securityGroups)) {
      groupsOfBalancer.set(c.node.path, (c.securityGroups ?? []).map(g => groupKey(g)!));
    } else if (c instanceof elbv2.BaseLoadBalancer && c.node.defaultChild) {
      // The L2 renders its groups lazily: read them from its connections.
      const groups = (c as Partial<ec2.IConnectable>).connections?.securityGroups ?? [];
      groupsOfBalancer.set(c.node.defaultChild.node.path, groups.map(g => (g.node.defaultChild ?? g).node.path));
    }
  }
  const listeners = new Map<string, string>();
  for (const c of constructs) {
    if (!(c instanceof elbv2.CfnListener) || typeof c.port !== 'number' || Token.isUnresolved(c.port)) continue;
    const balancer = referenced(c.loadBalancerArn);
    for (const group of balancer ? groupsOfBalancer.get(balancer.node.path) ?? [] : []) listeners.set(`${group}:${c.port}`, c.node.path);
  }
  return listeners;
}

/** A group by its construct path (a reference), or by its id (an imported group). */
function groupKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return JSON.stringify(value); // an inline rule's resolved reference
  return referenced(value)?.node.path ?? value;
}

function referenced(value: string | undefined): IConstruct | undefined {
  if (value === undefined || !Token.isUnresolved(value)) return undefined;
  const reference: IResolvable | undefined = Tokenization.reverse(value);
  return reference instanceof Reference ? reference.target : undefined;
}

function cidrOf(rule: { cidrIp?: string; cidrIpv6?: string; sourcePrefixListId?: string; destinationPrefixListId?: string }): string | undefined {
  const cidr = rule.cidrIp ?? rule.cidrIpv6 ?? rule.sourcePrefixListId ?? rule.destinationPrefixListId;
  if (cidr === undefined || !Token.isUnresolved(cidr)) return cidr;
  const reference = Tokenization.reverse(cidr);
  return reference instanceof Reference ? `${reference.target.node.path}.${reference.displayName}` : 'an unresolved range';
}

function ports(from: number | undefined, to: number | undefined): { fromPort: number; toPort: number } {
  const known = (p: number | undefined) => p !== undefined && !Token.isUnresolved(p) && p >= 0;
  return { fromPort: known(from) ? from! : 0, toPort: known(to) ? to! : 65535 };
}

function resolvedList(scope: IConstruct, list: unknown): any[] {
  if (list === undefined) return [];
  const resolved = Token.isUnresolved(list) ? Stack.of(scope).resolve(list) : list;
  return Array.isArray(resolved) ? resolved.filter(r => r && typeof r === 'object') : [];
}

/** `AWS::EC2::SecurityGroupIngress <logical id>` (in the template of the resource's stack). */
function ruleName(resource: ec2.CfnSecurityGroup | ec2.CfnSecurityGroupIngress | ec2.CfnSecurityGroupEgress): string {
  return `${resource.cfnResourceType} ${Stack.of(resource).resolve(resource.logicalId)}`;
}
