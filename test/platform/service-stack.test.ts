import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, CfnParameter, CfnResource, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { ServiceCluster } from '../../src';
import { ServiceStack } from '../../src/platform/service-stack';
import { awsStack } from '../util';

/** Stack's template renderer, which ServiceStack calls at most once per finished tree. */
const renderTemplate = '_toCloudFormation';
/** Stack's logical ID allocator, which ServiceStack calls once per element. */
const allocateLogicalId = 'allocateLogicalId';

describe('ServiceStack', () => {
  afterEach(() => jest.restoreAllMocks());

  test('renders each service template once per synthesis, not once to hash it and again to write it', () => {
    const stack = awsStack();
    new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    new ServiceCluster(stack, 'Payments', { image: 'ghcr.io/acme/payments:1.0.0' });
    // Throws if the CDK renames the renderer, which would silently turn the cache off.
    const render = jest.spyOn(Stack.prototype as any, renderTemplate);

    (Stage.of(stack) as Stage).synth();

    const serviceStackRenders = render.mock.contexts.filter(context => context instanceof ServiceStack);
    expect(serviceStackRenders).toHaveLength(2);
  });

  test('writes exactly the template whose hash names its asset', () => {
    const stack = awsStack();
    const orders = new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    const nested = orders.aws!.stack as NestedStack;

    const assembly = (Stage.of(stack) as Stage).synth();

    const written = JSON.parse(fs.readFileSync(path.join(assembly.directory, nested.templateFile), 'utf8'));
    const hash = createHash('sha256').update(JSON.stringify(written)).digest('hex');
    const assets = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'));
    expect(Object.keys(assets.files)).toContain(hash);
    expect(assets.files[hash].source.path).toBe(nested.templateFile);
  });

  test('renders again when an element was added after the first render', () => {
    const nested = new ServiceStack(awsStack(), 'Service', {});
    const render = () => (nested as any)[renderTemplate]();
    new CfnParameter(nested, 'First', { type: 'String' });
    const first = render();

    expect(render()).toBe(first);
    new CfnParameter(nested, 'Second', { type: 'String' });
    expect(Object.keys(render().Parameters)).toEqual(['First', 'Second']);
  });

  test('allocates each logical ID once, however often it is resolved', () => {
    const stack = awsStack();
    const orders = new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    // Throws if the CDK renames the allocator, which would silently turn the cache off.
    const allocate = jest.spyOn(Stack.prototype as any, allocateLogicalId);

    (Stage.of(stack) as Stage).synth();

    const elements = orders.aws!.stack.node.findAll().filter(CfnElement.isCfnElement);
    const allocated = allocate.mock.calls.map(([element]) => element).filter(element => elements.includes(element as any));
    // at most once each; never for an element whose logical ID is overridden (PrivateSubnetIds)
    expect(new Set(allocated).size).toBe(allocated.length);
    const resources = elements.filter(CfnResource.isCfnResource);
    expect(resources.length).toBeGreaterThan(10);
    expect(resources.filter(resource => !allocated.includes(resource))).toEqual([]);
  });

  test('logical IDs are the CDK\'s own, and renames still apply', () => {
    const nested = new ServiceStack(awsStack(), 'Service', {});
    const parameter = new CfnParameter(nested, 'Region', { type: 'String' });
    expect(nested.resolve(parameter.logicalId)).toBe('Region');

    nested.renameLogicalId('Region', 'DeployRegion');
    expect(nested.resolve(parameter.logicalId)).toBe('DeployRegion');
    expect(Object.keys((nested as any)[renderTemplate]().Parameters)).toEqual(['DeployRegion']);
  });
});
