import { Construct } from 'constructs';
import { defineCacheCluster } from './cache-cluster';
import { defineGateway } from './gateway';
import { defineMessageQueue } from './message-queue';
import { defineMongoShardedCluster } from './mongo-sharded-cluster';
import { defineObservability } from './observability';
import { definePrometheusOperator } from './prometheus-operator';
import { defineReferencePlatform } from './reference-platform';
import { accessMarkdown } from './reference-platform/access';
import { architectureMarkdown } from './reference-platform/architecture';
import { secretsMarkdown } from './reference-platform/secrets';
import { defineServiceCluster } from './service-cluster';

/** An example: written once against a scope, synthesized to both targets. */
export interface Example {
  /** Folder name under examples/ and synth-output/. */
  readonly name: string;
  /** Builds the example under a Stack or a Chart. */
  readonly define: (scope: Construct) => void;
  /** A markdown section drawn from the synthesized Stack or Chart: `synth-output/<example>/architecture.md` gathers one per target. */
  readonly diagram?: (scope: Construct) => string;
  /** The access matrix section of the synthesized Stack or Chart: `synth-output/<example>/access.md` gathers one per target. */
  readonly access?: (scope: Construct) => string;
  /** The Secrets to create by hand, drawn from the synthesized Chart: `synth-output/<example>/secrets.md`. */
  readonly secrets?: (chart: Construct) => string;
}

export const EXAMPLES: readonly Example[] = [
  { name: 'service-cluster', define: defineServiceCluster },
  { name: 'gateway', define: defineGateway },
  { name: 'cache-cluster', define: defineCacheCluster },
  { name: 'mongo-sharded-cluster', define: defineMongoShardedCluster },
  { name: 'message-queue', define: defineMessageQueue },
  { name: 'observability', define: defineObservability },
  { name: 'prometheus-operator', define: definePrometheusOperator },
  { name: 'reference-platform', define: scope => defineReferencePlatform(scope), diagram: architectureMarkdown, access: accessMarkdown, secrets: secretsMarkdown },
];
