import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PlatformSecret } from './secret';

/**
 * Injects `secret` into `container` as the environment variable `name`, granting the task's
 * execution role exactly what reading it needs, wherever the secret lives.
 */
export function addEcsSecret(scope: Construct, container: ecs.ContainerDefinition, name: string, secret: PlatformSecret): void {
  const { secret: ecsSecret, decryptKey } = secret._toEcsSecret(scope, `Secret${name}`);
  container.addSecret(name, ecsSecret);
  if (decryptKey) {
    container.taskDefinition.obtainExecutionRole().addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [decryptKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
    }));
  }
}
