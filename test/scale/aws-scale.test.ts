import * as fs from 'fs';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import { ServiceCluster } from '../../src';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

/** CloudFormation's per-template quotas. */
const MAX_RESOURCES = 500;
const MAX_OUTPUTS = 200;
const MAX_TEMPLATE_BYTES = 1024 * 1024;

function platformOf(names: readonly string[]) {
  const stack = awsStack();
  const services = names.map(name => new ServiceCluster(stack, name, { image: `ghcr.io/acme/${name.toLowerCase()}:1.0.0`, targetRequestsPerSecond: 100 }));
  const assembly = (Stage.of(stack) as Stage).synth();
  const templates = new Map(fs.readdirSync(assembly.directory).filter(f => f.endsWith('.template.json'))
    .map(f => [f, fs.readFileSync(path.join(assembly.directory, f), 'utf8')]));
  return { stack, services, templates };
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `Service${i}`);

describe('a 200-service platform on AWS', () => {
  const { stack, templates } = platformOf(names(200));

  test('every template stays within CloudFormation quotas', () => {
    expect(templates.size).toBe(201);
    for (const [file, text] of templates) {
      const template = JSON.parse(text);
      expect({ file, resources: Object.keys(template.Resources).length <= MAX_RESOURCES }).toEqual({ file, resources: true });
      expect({ file, outputs: Object.keys(template.Outputs ?? {}).length <= MAX_OUTPUTS }).toEqual({ file, outputs: true });
      expect({ file, bytes: text.length <= MAX_TEMPLATE_BYTES }).toEqual({ file, bytes: true });
    }
  });

  test('deploys: cdk-nag, cfn-lint and moto over the root and all 200 nested stacks', () => {
    const report = expectAwsConformance([stack]);
    expect(report.nestedStacks).toBe(200);
    console.info(`200 services on AWS: ${report.resources} resources in ${report.nestedStacks + 1} templates; ` +
      `moto ${report.moto.map(m => m.status).join(', ')}; cfn-lint ${report.cfnLintErrors.length} errors`);
  });
});

describe('placement is deterministic and stable', () => {
  test('adding a service (anywhere in the code) changes no existing resource in any template', () => {
    const before = platformOf(['Users', 'Orders', 'Products']);
    const after = platformOf(['Users', 'Carts', 'Orders', 'Products']);
    // Every existing template is byte-identical, nested or not, except the root, which only gains.
    for (const [file, text] of before.templates) {
      if (!file.endsWith('.nested.template.json')) continue;
      expect({ file, same: after.templates.get(file) === text }).toEqual({ file, same: true });
    }
    const rootBefore = JSON.parse(before.templates.get('Platform.template.json')!);
    const rootAfter = JSON.parse(after.templates.get('Platform.template.json')!);
    for (const [id, resource] of Object.entries<any>(rootBefore.Resources)) {
      if (resource.Type === 'AWS::CloudFormation::Stack') {
        // The nested stack's template URL is content-addressed: unchanged template, unchanged URL.
        expect(rootAfter.Resources[id]).toEqual(resource);
      } else {
        expect(rootAfter.Resources[id]?.Type).toBe(resource.Type);
      }
    }
    expect(Object.keys(rootAfter.Resources).length - Object.keys(rootBefore.Resources).length).toBeGreaterThanOrEqual(1);
  });

  test('synthesizing twice gives the same templates', () => {
    const a = platformOf(['Users', 'Orders']);
    const b = platformOf(['Users', 'Orders']);
    expect([...b.templates.entries()]).toEqual([...a.templates.entries()]);
  });
});
