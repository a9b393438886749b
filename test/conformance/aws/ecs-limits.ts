/**
 * Limits ECS enforces at deploy time that neither cfn-lint nor moto checks: a task definition is at
 * most 64 KiB (RegisterTaskDefinition, AWS ECS service quotas: "Task definition size").
 */
export const ECS_TASK_DEFINITION_MAX_BYTES = 64 * 1024;

export interface TaskDefinitionSize {
  readonly template: string;
  readonly logicalId: string;
  readonly bytes: number;
}

/** Size of every task definition's properties, as CloudFormation would send them (unresolved intrinsics counted as written). */
export function taskDefinitionSizes(templates: ReadonlyArray<{ readonly name: string; readonly template: any }>): TaskDefinitionSize[] {
  return templates.flatMap(({ name, template }) => Object.entries<any>(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === 'AWS::ECS::TaskDefinition')
    .map(([logicalId, resource]) => ({ template: name, logicalId, bytes: Buffer.byteLength(JSON.stringify(resource.Properties ?? {})) })));
}

/** One message per task definition ECS would refuse. */
export function taskDefinitionSizeProblems(sizes: readonly TaskDefinitionSize[]): string[] {
  return sizes.filter(s => s.bytes > ECS_TASK_DEFINITION_MAX_BYTES).map(s =>
    `ECS: task definition ${s.logicalId} in ${s.template} is ${s.bytes} bytes: ECS refuses more than ${ECS_TASK_DEFINITION_MAX_BYTES}`);
}
