import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { defineReferencePlatform, ReferencePlatform } from '../../examples/reference-platform';
import { securityGroupRulesOf } from '../../src/platform/access/aws-rules';
import { PlatformProfile } from '../../src/platform/profile';
import { ServiceCluster } from '../../src/service-cluster';
import { awsStack, kubernetesChart, manifestsOf } from '../util';

/** The reference platform under a Stack (env 123456789012 / us-east-1, three zones). */
export function awsReferencePlatform(profile?: PlatformProfile): { stack: Stack; platform: ReferencePlatform } {
  const stack = awsStack('Shop');
  return { stack, platform: defineReferencePlatform(stack, { profile }) };
}

export interface KubernetesReferencePlatform {
  readonly chart: Chart;
  readonly platform: ReferencePlatform;
  readonly manifests: any[];
  /** What was printed with console.warn (the profile's warnings). */
  readonly printed: string[];
}

/** The reference platform under a Chart in namespace `shop`, synthesized, with the warnings printed meanwhile. */
export function kubernetesReferencePlatform(profile?: PlatformProfile): KubernetesReferencePlatform {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const chart = kubernetesChart('shop', 'shop');
    const platform = defineReferencePlatform(chart, { profile });
    return { chart, platform, manifests: manifestsOf(chart), printed: warn.mock.calls.map(args => String(args[0])) };
  } finally {
    warn.mockRestore();
  }
}

const templates = new WeakMap<Stack, any>();

/** The synthesized template of `stack` (a nested stack's too), synthesized once per stack. */
export function templateOf(stack: Stack): any {
  if (!templates.has(stack)) templates.set(stack, Template.fromStack(stack).toJSON());
  return templates.get(stack);
}

/** The application container of a service, as deployed: from the template of its stack (its own nested stack by default). */
export function deployedContainer(service: ServiceCluster): any {
  const taskDefinition = service.aws!.taskDefinition;
  const stack = service.aws!.stack;
  const logicalId = stack.getLogicalId(taskDefinition);
  const definitions: any[] = templateOf(stack).Resources[logicalId].Properties.ContainerDefinitions;
  return definitions.find(c => c.Name === 'app');
}

/** One ingress rule of a security group, by construct paths (works across nested stacks). */
export interface IngressRule {
  readonly group: string;
  readonly source: string;
  readonly port: number;
}

/** Every security-group-to-security-group ingress rule under `root`, as the library's access evaluation reads them. */
export function ingressRules(root: IConstruct): IngressRule[] {
  return securityGroupRulesOf(root.node.findAll())
    .filter(rule => rule.direction === 'ingress' && rule.peerGroup !== undefined)
    .map(rule => ({ group: rule.group, source: rule.peerGroup!, port: rule.fromPort }));
}

/** Which of `components` (by construct path prefix) may open connections to `group` (on `port`, when given). */
export function admittedComponents(
  rules: readonly IngressRule[], group: ec2.ISecurityGroup, components: Record<string, IConstruct>, port?: number,
): string[] {
  const groupPath = (group.node.defaultChild ?? group).node.path;
  const names = rules
    .filter(r => r.group === groupPath && (port === undefined || r.port === port))
    .map(r => Object.entries(components).find(([, c]) => r.source.startsWith(`${c.node.path}/`))?.[0] ?? r.source);
  return [...new Set(names)].sort();
}

/** The port of a service's dedicated listener on the shared internal load balancer. */
export function listenerPort(service: ServiceCluster): number {
  return service.aws!.listener.port as number;
}

/** `app.kubernetes.io/name` of the pods a NetworkPolicy rule's peers select, sorted; `*` for an ipBlock. */
export function peerNames(rules: any[] | undefined, key: 'from' | 'to'): string[] {
  const names = (rules ?? []).flatMap(rule => (rule[key] ?? []).map((peer: any) =>
    peer.ipBlock ? `ipBlock ${peer.ipBlock.cidr}` : peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? JSON.stringify(peer)));
  return [...new Set<string>(names)].sort();
}

/** Objects per kind, e.g. `Deployment 9, StatefulSet 8, …`, most frequent first. */
export function countByKind(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const kind of items) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind, n]) => `${kind} ${n}`).join(', ');
}
