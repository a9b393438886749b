import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { ServiceCluster } from '../../src';
import { ServiceStack } from '../../src/platform/service-stack';
import { awsStack } from '../util';

/** Stack's template renderer, which ServiceStack calls at most once per finished tree. */
const renderTemplate = '_toCloudFormation' as keyof Stack;

describe('ServiceStack', () => {
  afterEach(() => jest.restoreAllMocks());

  test('renders each service template once per synthesis, not once to hash it and again to write it', () => {
    const stack = awsStack();
    new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    new ServiceCluster(stack, 'Payments', { image: 'ghcr.io/acme/payments:1.0.0' });
    // Throws if the CDK renames the renderer, which would silently turn the cache off.
    const render = jest.spyOn(Stack.prototype, renderTemplate);

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
});
