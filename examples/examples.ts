import { Construct } from 'constructs';
import { defineCacheCluster } from './cache-cluster';
import { defineGateway } from './gateway';
import { defineMongoShardedCluster } from './mongo-sharded-cluster';
import { defineObservability } from './observability';
import { defineServiceCluster } from './service-cluster';

/** An example: written once against a scope, synthesized to both targets. */
export interface Example {
  /** Folder name under examples/ and synth-output/. */
  readonly name: string;
  /** Builds the example under a Stack or a Chart. */
  readonly define: (scope: Construct) => void;
}

export const EXAMPLES: readonly Example[] = [
  { name: 'service-cluster', define: defineServiceCluster },
  { name: 'gateway', define: defineGateway },
  { name: 'cache-cluster', define: defineCacheCluster },
  { name: 'mongo-sharded-cluster', define: defineMongoShardedCluster },
  { name: 'observability', define: defineObservability },
];
