import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ServiceClusterAwsOptions } from './props';
import { ServiceClusterSpec } from './spec';
import { shellQuote } from '../platform/escape/shell';

/** Name of the application container in the task definition. */
export const CONTAINER_NAME = 'app';

/** What the container definition needs besides the spec. */
export interface ContainerDefinitionInputs {
  readonly logGroupName: string;
  readonly region: string;
  /** Plain variables, in the order they were added. */
  readonly environment: Record<string, string>;
  /** Variables read at start-up: name → Secrets Manager `valueFrom`. */
  readonly secrets: Record<string, string>;
  /** Labels for discovery by collectors. */
  readonly dockerLabels: Record<string, string>;
}

/**
 * The task definition's entry for the application container: read-only
 * root filesystem with a `/tmp` scratch volume, non-root user, a local health check, logs to the
 * service's log group.
 */
export function renderContainerDefinition(
  spec: ServiceClusterSpec, options: ServiceClusterAwsOptions, inputs: ContainerDefinitionInputs,
): ecs.CfnTaskDefinition.ContainerDefinitionProperty {
  // CMD-SHELL runs the command with /bin/sh -c: the URL is one quoted word, so "&", "$(…)" or ";" in the path stay data.
  const healthUrl = shellQuote(`http://127.0.0.1:${spec.port}${spec.health.path}`);
  const environment = Object.entries(inputs.environment).map(([name, value]) => ({ name, value }));
  const secrets = Object.entries(inputs.secrets).map(([name, valueFrom]) => ({ name, valueFrom }));
  return {
    name: CONTAINER_NAME,
    image: spec.image,
    essential: true,
    entryPoint: spec.command,
    command: spec.args,
    environment: environment.length > 0 ? environment : undefined,
    secrets: secrets.length > 0 ? secrets : undefined,
    dockerLabels: Object.keys(inputs.dockerLabels).length > 0 ? { ...inputs.dockerLabels } : undefined,
    portMappings: [...new Set([spec.port, spec.metrics.port])].map(containerPort => ({ containerPort, protocol: 'tcp' })),
    user: `${spec.runAsUser}:${spec.runAsUser}`,
    readonlyRootFilesystem: true,
    mountPoints: [{ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false }],
    stopTimeout: spec.shutdownGraceSeconds,
    healthCheck: {
      command: options.containerHealthCheckCommand ??
        ['CMD-SHELL', `wget -q -O /dev/null ${healthUrl} || curl -fsS -o /dev/null ${healthUrl} || exit 1`],
      interval: spec.health.intervalSeconds,
      timeout: spec.health.timeoutSeconds,
      retries: spec.health.unhealthyThreshold,
      startPeriod: spec.health.startupGraceSeconds,
    },
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': inputs.logGroupName,
        'awslogs-stream-prefix': spec.name,
        'awslogs-region': inputs.region,
      },
    },
  };
}
