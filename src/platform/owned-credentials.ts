import { IConstruct } from 'constructs';
import { invalidPropMessage, PlatformValidationError } from './errors';
import { PlatformSecret } from './secret';

/**
 * How a credential the platform owns is generated when no one supplies it: its length and the
 * alphabet its consumer accepts.
 */
export class CredentialFormat {
  /** 32 random bytes as 64 hex characters: passwords and tokens, safe in every config language. */
  public static readonly PASSWORD = new CredentialFormat('password', 'hex', 32);
  /** 756 random bytes as base64 on one line (1,008 characters): a MongoDB replica-set key file. */
  public static readonly MONGO_KEYFILE = new CredentialFormat('mongo-keyfile', 'base64', 756);
  /** 32 random bytes as 64 hex characters: an Erlang distribution cookie (RabbitMQ clustering). */
  public static readonly ERLANG_COOKIE = new CredentialFormat('erlang-cookie', 'hex', 32);

  private constructor(
    /** Name of the format, for messages and documentation. */
    public readonly formatName: string,
    /** How the random bytes are written: `hex` or `base64`. */
    public readonly encoding: string,
    /** Number of random bytes. */
    public readonly randomBytes: number,
  ) {}
}

/** A key of a Kubernetes Secret that a platform construct needs and owns: nobody else must supply it. */
export interface OwnedCredential {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key in the Secret. */
  readonly key: string;
  /** How to generate the value. */
  readonly format: CredentialFormat;
  /** Path of the construct that reads it. */
  readonly ownerPath: string;
}

/**
 * The credentials of one Chart that platform constructs own (their defaults, not the ones a user
 * passed in): what a provisioner (External Secrets generators, an in-cluster Job, or the user by hand)
 * must create before the manifests start. Pure bookkeeping; the provisioners read `list()`.
 */
export class OwnedCredentialRegistry {
  private readonly byKey = new Map<string, OwnedCredential>();

  /** Records that `owner` reads `secret` (a `PlatformSecret.named` reference) generated as `format`. */
  public declare(owner: IConstruct, secret: PlatformSecret, format: CredentialFormat): void {
    if (!secret.secretName || !secret.key) {
      throw new PlatformValidationError(invalidPropMessage(owner, 'owned credential', 'is not a named Secret key', String(secret.secretName),
        'PlatformSecret.named(name, key)'));
    }
    const id = `${secret.secretName}/${secret.key}`;
    const existing = this.byKey.get(id);
    if (existing && existing.format !== format) {
      throw new PlatformValidationError(invalidPropMessage(owner, 'owned credential', `is also owned by ${existing.ownerPath} as a ${existing.format.formatName}`, id,
        'give each construct its own Secret'));
    }
    if (!existing) this.byKey.set(id, { secretName: secret.secretName, key: secret.key, format, ownerPath: owner.node.path });
  }

  /** Every owned credential, sorted by Secret name and key. */
  public list(): OwnedCredential[] {
    return [...this.byKey.values()].sort((a, b) => `${a.secretName}/${a.key}`.localeCompare(`${b.secretName}/${b.key}`));
  }
}
