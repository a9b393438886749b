import { IConstruct } from 'constructs';
import { EnvironmentVariableOptions } from './props';
import { duplicateVariableProblems, environmentVariableProblems, secretVariableProblems } from './validation';
import { throwIfInvalid } from '../platform/errors';
import { PlatformSecret, secretReferenceProblems } from '../platform/secret';

/**
 * The variable names a workload (ServiceCluster, QueueWorker) has set, plain or secret: each
 * variable added after construction is checked by the same rules as the props, and once only.
 */
export class VariableNames {
  private readonly names: Set<string>;

  constructor(private readonly scope: IConstruct, initial: Iterable<string>) {
    this.names = new Set(initial);
  }

  /** Throws unless `name=value` may be added as a plain variable; then records the name. */
  public claimEnvironment(name: string, value: string, options: EnvironmentVariableOptions = {}): void {
    throwIfInvalid([
      ...duplicateVariableProblems(this.scope, `environment.${name}`, name, this.names),
      ...environmentVariableProblems(this.scope, name, value, [], options.notCredential ?? false),
    ]);
    this.names.add(name);
  }

  /** Throws unless `name` may be read from `secret`; then records the name. */
  public claimSecret(name: string, secret: PlatformSecret): void {
    throwIfInvalid([
      ...duplicateVariableProblems(this.scope, `secrets.${name}`, name, this.names),
      ...secretVariableProblems(this.scope, name),
      ...secretReferenceProblems(this.scope, `secrets.${name}`, secret),
    ]);
    this.names.add(name);
  }
}
