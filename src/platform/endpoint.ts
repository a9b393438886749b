/**
 * Where clients reach a platform construct: a stable DNS name and a port.
 *
 * On AWS the host is a Cloud Map name in the platform's private namespace; on Kubernetes it is the
 * Service's cluster DNS name. Hand it to other services as environment.
 */
export class Endpoint {
  constructor(
    /** DNS name clients connect to. */
    public readonly host: string,
    /** TCP port clients connect to. */
    public readonly port: number,
    /** URL scheme for `url` (e.g. `http`, `redis`, `mongodb`). */
    public readonly scheme: string = 'http',
  ) {}

  /** `host:port`. */
  public get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** `scheme://host:port`. */
  public get url(): string {
    return `${this.scheme}://${this.address}`;
  }
}
