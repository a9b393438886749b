import { Construct } from 'constructs';
import { PlatformTarget } from '../../src/platform/target';
import { PlatformTopology } from '../../src/platform/topology';

/**
 * One section of `architecture.md`: the Mermaid diagram of the platform constructs of a synthesized
 * Stack or Chart and the connections declared between them, drawn from what the constructs recorded.
 * Call it after synthesis, when the observability stack has discovered what it watches.
 */
export function architectureMarkdown(scope: Construct): string {
  const topology = PlatformTopology.of(scope);
  const target = PlatformTarget.of(scope);
  return [
    `## On ${target === PlatformTarget.AWS ? 'AWS' : 'Kubernetes'} (\`${topology.rootPath}\`)`,
    '',
    'Drawn at synthesis from the constructs themselves: every box is a platform construct, every solid arrow a gateway',
    'route or an `allowFrom` (nothing else is reachable), every dotted arrow the observability stack watching a',
    'construct it discovered.',
    '',
    '```mermaid',
    topology.renderMermaid().trimEnd(),
    '```',
    '',
  ].join('\n');
}
