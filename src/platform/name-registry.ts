import { IConstruct } from 'constructs';
import { PlatformValidationError } from './errors';

/**
 * Names claimed by the constructs of one Stack or Chart. Two constructs that would emit the same
 * name (an ElastiCache replication group id, a Kubernetes kind/namespace/name) fail synthesis here,
 * naming both, instead of one silently replacing the other on deploy or apply.
 */
export class NameRegistry {
  private readonly owners = new Map<string, IConstruct>();

  /**
   * Records that `owner` emits `name` of `kind`. Claiming again from the same owner is a no-op;
   * from another owner it throws.
   */
  public claim(owner: IConstruct, kind: string, name: string): void {
    const key = `${kind} ${name}`;
    const existing = this.owners.get(key);
    if (existing === undefined) {
      this.owners.set(key, owner);
      return;
    }
    if (existing === owner) return;
    throw new PlatformValidationError(nameCollisionMessage(owner, existing, kind, name));
  }
}

/** `<path>: <kind> "<name>" is already emitted by <other path>: …` */
export function nameCollisionMessage(owner: IConstruct, existing: IConstruct, kind: string, name: string): string {
  return `${owner.node.path}: ${kind} ${JSON.stringify(name)} is already emitted by ${existing.node.path}: ` +
    'on deploy or apply one would silently replace the other; give one of them another name';
}
