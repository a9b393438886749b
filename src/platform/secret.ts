import { Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { invalidPropMessage, PlatformValidationError } from './errors';
import { DNS_SUBDOMAIN_HINT, isDnsSubdomain, isSecretKey, SECRET_KEY_HINT } from './grammar/kubernetes-names';
import { PlatformTarget } from './target';

/**
 * A reference to a credential that lives outside the template or manifest.
 *
 * Never a value: on AWS it resolves to a Secrets Manager secret, on Kubernetes to a key of a
 * Secret object that the user, External Secrets or a Job creates in the cluster.
 */
export class PlatformSecret {
  /**
   * A portable reference: the Secrets Manager secret `name` (JSON field `key`) on AWS, and the
   * key `key` of the Kubernetes Secret `name`.
   *
   * @param name secret name, valid on both targets (lowercase DNS subdomain)
   * @param key field in the secret
   */
  public static named(name: string, key: string): PlatformSecret {
    return new PlatformSecret(name, key, undefined);
  }

  /**
   * An existing Secrets Manager secret (AWS only).
   *
   * @param secret the secret
   * @param jsonField a JSON field of the secret value; the whole value when omitted
   */
  public static fromSecretsManager(secret: secretsmanager.ISecret, jsonField?: string): PlatformSecret {
    return new PlatformSecret(undefined, jsonField, secret);
  }

  private constructor(
    /** Portable secret name, when created with `named`. */
    public readonly secretName: string | undefined,
    /** Field (AWS JSON field, Kubernetes Secret key). */
    public readonly key: string | undefined,
    /** The Secrets Manager secret, when created with `fromSecretsManager`. */
    public readonly secretsManagerSecret: secretsmanager.ISecret | undefined,
  ) {}

  /**
   * The Secrets Manager secret this reference points at on AWS.
   *
   * @internal
   */
  public _toSecretsManager(scope: Construct, id: string): secretsmanager.ISecret {
    if (this.secretsManagerSecret) return this.secretsManagerSecret;
    const existing = scope.node.tryFindChild(id) as secretsmanager.ISecret | undefined;
    return existing ?? secretsmanager.Secret.fromSecretNameV2(scope, id, this.secretName!);
  }

  /**
   * The secret for an ECS container in `scope`, and the key its reader must also be allowed to
   * decrypt with when the secret lives in another stack.
   *
   * Granting a role in one stack (a service's nested stack) read access to a secret encrypted in
   * another (the root) would write the role into the root key's policy: root → nested → root, a
   * dependency cycle. So a secret from another stack is imported by ARN and its key is granted on
   * the role's own policy instead (the platform key trusts the account's IAM policies).
   *
   * @internal
   */
  public _toEcsSecret(scope: Construct, id: string): { secret: ecs.Secret; decryptKey?: kms.IKey } {
    const secret = this._toSecretsManager(scope, id);
    if (this.secretsManagerSecret && Stack.of(secret) !== Stack.of(scope)) {
      const imported = secretsmanager.Secret.fromSecretCompleteArn(scope, id, secret.secretArn);
      return { secret: ecs.Secret.fromSecretsManager(imported, this.key), decryptKey: secret.encryptionKey };
    }
    return { secret: ecs.Secret.fromSecretsManager(secret, this.key) };
  }

  /**
   * The Kubernetes `secretKeyRef` this reference points at.
   *
   * @internal
   */
  public _toSecretKeyRef(scope: IConstruct, prop: string): { name: string; key: string } {
    const problems = secretReferenceProblems(scope, prop, this);
    if (problems.length > 0) throw new PlatformValidationError(problems[0]);
    if (this.secretsManagerSecret || !this.secretName) {
      throw new PlatformValidationError(
        `${scope.node.path}: ${prop} is a Secrets Manager secret, which is not supported on ${PlatformTarget.KUBERNETES.name}: ` +
        'use PlatformSecret.named(name, key) to reference a Kubernetes Secret by name',
      );
    }
    return { name: this.secretName, key: this.key! };
  }
}

/**
 * Problems with a portable secret reference given as `prop`: its name must be a Kubernetes Secret
 * name (a lowercase DNS subdomain, which Secrets Manager also accepts) and its key a Secret key.
 * A Secrets Manager secret is not checked here: it exists already.
 */
export function secretReferenceProblems(scope: IConstruct, prop: string, secret: PlatformSecret | undefined): string[] {
  if (!secret || secret.secretsManagerSecret) return [];
  const problems: string[] = [];
  if (secret.secretName === undefined || (!Token.isUnresolved(secret.secretName) && !isDnsSubdomain(secret.secretName))) {
    problems.push(invalidPropMessage(scope, prop, 'has an invalid secret name', secret.secretName, `PlatformSecret.named(name, key): ${DNS_SUBDOMAIN_HINT}`));
  }
  if (secret.key === undefined || (!Token.isUnresolved(secret.key) && !isSecretKey(secret.key))) {
    problems.push(invalidPropMessage(scope, prop, 'has an invalid secret key', secret.key, `PlatformSecret.named(name, key): ${SECRET_KEY_HINT}`));
  }
  return problems;
}
