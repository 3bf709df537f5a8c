/**
 * The event log refuses a message for what it is (e.g. larger than the log accepts): publishing
 * it again can never succeed. The embedded log throws it where Kafka answers MESSAGE_TOO_LARGE.
 */
export class MessageRejectedError extends Error {
  override readonly name = 'MessageRejectedError';
  /** Read by `isPermanentPublishError`. */
  readonly permanent = true;

  constructor(
    message: string,
    /** Topic and key of the refused message. */
    readonly topic: string,
    readonly key: string,
  ) {
    super(message);
  }
}
