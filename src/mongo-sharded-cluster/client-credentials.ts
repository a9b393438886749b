import { PlatformSecret } from '../platform/secret';

/**
 * Options of a per-service user.
 */
export interface MongoServiceUserOptions {
  /**
   * The user's password (Kubernetes: a Secret key).
   *
   * @default key `password` of the Secret `<clusterName>-user-<serviceName>`, which the cluster owns (see `KubernetesPlatform.ownedCredentials`)
   */
  readonly password?: PlatformSecret;
}

/**
 * Which MongoDB user a workload connected with `connect` logs in as.
 */
export class MongoClientCredentials {
  /**
   * A user of its own, named after the workload (`serviceName`), with `readWrite` on its database
   * only. Kubernetes only: DocumentDB Elastic clusters have one administrator and no user
   * management, so AWS refuses it.
   */
  public static perServiceUser(options: MongoServiceUserOptions = {}): MongoClientCredentials {
    return new MongoClientCredentials('per-service-user', options.password, false);
  }

  /** The administrator (every database, every command). Say so only when the workload needs it. */
  public static administrator(): MongoClientCredentials {
    return new MongoClientCredentials('administrator', undefined, false);
  }

  /**
   * A per-service user where the target can create one (Kubernetes), and the administrator where it
   * cannot (DocumentDB Elastic on AWS): code that renders to both targets asks for the administrator
   * on AWS explicitly with it.
   */
  public static perServiceUserOrAdministrator(options: MongoServiceUserOptions = {}): MongoClientCredentials {
    return new MongoClientCredentials('per-service-user-or-administrator', options.password, true);
  }

  private constructor(
    /** `per-service-user`, `administrator` or `per-service-user-or-administrator`. */
    public readonly kind: string,
    /** The per-service user's password, when given. */
    public readonly password: PlatformSecret | undefined,
    /** Whether the administrator stands in where per-service users cannot be created. */
    public readonly administratorWhereUnsupported: boolean,
  ) {}
}

/**
 * Options of `MongoShardedCluster.connect`.
 */
export interface MongoConnectOptions {
  /**
   * The database the workload uses (1-63 letters, digits, "_" or "-"; not admin, config or local).
   *
   * @default the workload's `serviceName`
   */
  readonly database?: string;
  /**
   * Who the workload logs in as.
   *
   * @default MongoClientCredentials.perServiceUser()
   */
  readonly credentials?: MongoClientCredentials;
}
