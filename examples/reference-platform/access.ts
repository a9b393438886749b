import { Construct } from 'constructs';
import { PlatformTarget } from '../../src/platform/target';
import { PlatformTopology } from '../../src/platform/topology';

/**
 * One section of `access.md`: the effective access matrix of a synthesized Stack or Chart, computed
 * from its NetworkPolicies or security groups, with the rules that allow each path.
 */
export function accessMarkdown(scope: Construct): string {
  const topology = PlatformTopology.of(scope);
  const kubernetes = PlatformTarget.of(scope) === PlatformTarget.KUBERNETES;
  return [
    `## On ${kubernetes ? 'Kubernetes' : 'AWS'} (\`${topology.rootPath}\`)`,
    '',
    kubernetes
      ? 'Computed from the synthesized NetworkPolicies: a path needs the target\'s ingress rule and the source\'s egress rule.'
      : 'Computed from the synthesized security-group rules: a path needs the target group\'s ingress rule and the source group\'s egress.',
    'Every path is declared (`allowFrom`, `connect*`, a route, an observation, or the construct\'s own traffic), and synthesis',
    'checks the assertions of the reference platform (`denyAccess`, `allowAccessOnlyFrom`).',
    '',
    topology.renderAccessMarkdown().trimEnd(),
    '',
  ].join('\n');
}
