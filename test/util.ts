import { App, Stack } from 'aws-cdk-lib';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { expectIsolatedConstructs } from './conformance/kubernetes';
import { KubernetesPlatform } from '../src/platform/kubernetes-platform';

/** Tests skip the ~1.5 s CloudFormation schema validation of each synth unless they test it. */
process.env.CDK_VALIDATION = process.env.CDK_VALIDATION ?? 'false';

export const TEST_ENV = { account: '123456789012', region: 'us-east-1' };

/** A Stack with a concrete environment, as a deployable platform has. */
export function awsStack(id = 'Platform'): Stack {
  const app = new App({
    context: { [`availability-zones:account=${TEST_ENV.account}:region=${TEST_ENV.region}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
  });
  return new Stack(app, id, { env: TEST_ENV });
}

/** A Chart in namespace `shop`. */
export function kubernetesChart(id = 'platform', namespace = 'shop'): Chart {
  return new Chart(Testing.app(), id, { namespace });
}

/** Synthesized manifests of a chart, checked for isolation between constructs (every Kubernetes test). */
export function manifestsOf(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  expectIsolatedConstructs(manifests);
  return manifests;
}

/** The object of `kind` named `name`: tests never look objects up by position. */
export function findObject(manifests: any[], kind: string, name: string): any {
  const matches = manifests.filter(o => o.kind === kind && o.metadata?.name === name);
  if (matches.length !== 1) {
    throw new Error(`expected one ${kind}/${name}, found ${matches.length} among ${manifests.map(o => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  }
  return matches[0];
}

/** Objects of `kind`. */
export function objectsOfKind(manifests: any[], kind: string): any[] {
  return manifests.filter(o => o.kind === kind);
}

/** The owner label every selector of `construct` carries (see KubernetesPlatform.OWNER_LABEL). */
export function ownerLabel(construct: IConstruct): Record<string, string> {
  return { [KubernetesPlatform.OWNER_LABEL]: KubernetesPlatform.ownerId(construct) };
}

/**
 * Checks a `*KubernetesResources` object: each object named in `classes` is of that generated class
 * (`k8s.KubeDeployment`…) or a subclass, each named in `customResources` is an ApiObject, and no
 * other ApiObject is left unchecked. Prototype chains are compared: cdk8s answers `instanceof`
 * through ApiObject for every subclass, so `plainApiObject instanceof k8s.KubeDeployment` holds.
 */
export function expectKubeClasses(resources: object, classes: Record<string, Function>, customResources: string[] = []): void {
  const objects = Object.entries(resources).filter(([, value]) => ApiObject.isApiObject(value));
  expect(objects.map(([name]) => name).sort()).toEqual([...Object.keys(classes), ...customResources].sort());
  for (const [name, value] of objects) {
    if (!classes[name]) continue;
    expect({ [name]: Object.prototype.isPrototypeOf.call(classes[name].prototype, value) }).toEqual({ [name]: true });
  }
}
