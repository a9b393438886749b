/**
 * What a client connected to a MessageQueue (`connect`) may do.
 */
export class QueueAccess {
  /** Publish (`grantSend`). */
  public static readonly SEND = new QueueAccess('send', true, false);
  /** Receive, acknowledge and reject from the work queues (`grantConsume`). */
  public static readonly CONSUME = new QueueAccess('consume', false, true);
  /** Both. */
  public static readonly SEND_AND_CONSUME = new QueueAccess('send-and-consume', true, true);

  private constructor(
    /** Name of the access, for messages (`send`, `consume`, `send-and-consume`). */
    public readonly accessName: string,
    /** @internal */
    public readonly _send: boolean,
    /** @internal */
    public readonly _consume: boolean,
  ) {}
}

/**
 * How a workload connects to a MessageQueue (`connect`).
 */
export interface QueueConnectOptions {
  /**
   * What the workload may do. A `QueueWorker` is granted consumption of its queue already.
   *
   * @default QueueAccess.SEND: least privilege for the usual client, a service that publishes work
   */
  readonly access?: QueueAccess;
}
