import { Annotations, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Metadata type of a warning recorded on a Kubernetes construct (cdk8s has no Annotations). */
export const KUBERNETES_WARNING_METADATA = 'cdk-portable-platform:warning';
/** Metadata type aws-cdk-lib gives `Annotations.addWarningV2`. */
const AWS_WARNING_METADATA = 'aws:cdk:warning';

/** A warning recorded on a construct. */
export interface RecordedPlatformWarning {
  readonly path: string;
  readonly id: string;
  readonly message: string;
}

/**
 * Warns about `scope` on either target, once per construct and id. On AWS it is a CDK warning
 * annotation (`cdk synth` prints it, `--strict` fails on it, `Annotations.acknowledgeWarning(id)`
 * silences it). cdk8s has no annotations: the warning is recorded as construct metadata and
 * printed once with `console.warn`, in the CDK's format.
 */
export function platformWarning(scope: IConstruct, id: string, message: string): void {
  if (isUnderStack(scope)) {
    Annotations.of(scope).addWarningV2(id, message);
    return;
  }
  if (scope.node.metadata.some(m => m.type === KUBERNETES_WARNING_METADATA && (m.data as RecordedPlatformWarning).id === id)) return;
  scope.node.addMetadata(KUBERNETES_WARNING_METADATA, { path: scope.node.path, id, message });
  console.warn(`[Warning at /${scope.node.path}] ${message} [ack: ${id}]`);
}

/** Every platform warning recorded under `root`, on either target, in tree order. */
export function platformWarningsOf(root: IConstruct): RecordedPlatformWarning[] {
  return root.node.findAll().flatMap(c => c.node.metadata.flatMap((m): RecordedPlatformWarning[] => {
    if (m.type === KUBERNETES_WARNING_METADATA) return [m.data as RecordedPlatformWarning];
    if (m.type !== AWS_WARNING_METADATA || typeof m.data !== 'string') return [];
    const ack = /^(.*) \[ack: (.+)\]$/s.exec(m.data);
    return [{ path: c.node.path, id: ack?.[2] ?? '', message: ack?.[1] ?? m.data }];
  }));
}

function isUnderStack(scope: IConstruct): boolean {
  return scope.node.scopes.some(s => Stack.isStack(s));
}

/** A warning a construct's rules return, emitted with `platformWarning`. */
export interface ProfileWarning {
  readonly id: string;
  readonly message: string;
}

/**
 * A reduced topology the development profile allows: `<prop> is <value>, which the development
 * profile allows: <consequence>; production needs <production>`.
 */
export function reducedAvailabilityWarning(construct: string, prop: string, value: unknown, consequence: string, production: string): ProfileWarning {
  return {
    id: `cdk-portable-platform:${construct}:${prop}`,
    message: `${prop} is ${JSON.stringify(value)}, which the development profile allows: ${consequence}; production needs ${production}`,
  };
}
