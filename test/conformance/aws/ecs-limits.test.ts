import { taskDefinitionSizeProblems, taskDefinitionSizes } from './ecs-limits';

test('a task definition over 64 KiB is a problem, named by template and logical id', () => {
  const template = (env: string) => ({
    Resources: {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Environment: [{ Name: 'BIG', Value: env }] }] } },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'x'.repeat(70_000) } },
    },
  });
  const sizes = taskDefinitionSizes([{ name: 'Small', template: template('x') }, { name: 'Big', template: template('x'.repeat(70_000)) }]);
  expect(sizes.map(s => [s.template, s.logicalId])).toEqual([['Small', 'Task'], ['Big', 'Task']]);
  expect(taskDefinitionSizeProblems(sizes)).toEqual([
    `ECS: task definition Task in Big is ${sizes[1].bytes} bytes: ECS refuses more than 65536`,
  ]);
});
