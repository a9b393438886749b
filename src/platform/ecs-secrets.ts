import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PlatformSecret } from './secret';

/**
 * The ECS secret reading `secret` into the variable `name`, with `executionRole` granted exactly what
 * reading it at task start needs, wherever the secret lives.
 */
export function grantedEcsSecret(scope: Construct, name: string, secret: PlatformSecret, executionRole: iam.IRole): ecs.Secret {
  const { secret: ecsSecret, decryptKey } = secret._toEcsSecret(scope, `Secret${name}`);
  ecsSecret.grantRead(executionRole);
  if (decryptKey) {
    executionRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [decryptKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
    }));
  }
  return ecsSecret;
}

/** Injects `secret` into `container` as the environment variable `name`. */
export function addEcsSecret(scope: Construct, container: ecs.ContainerDefinition, name: string, secret: PlatformSecret): void {
  container.addSecret(name, grantedEcsSecret(scope, name, secret, container.taskDefinition.obtainExecutionRole()));
}
