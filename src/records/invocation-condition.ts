/** The values of `requestContext.condition` in an invocation record: why Lambda sent it. */
export class InvocationCondition {
  /** The function returned without error: sent to the on-success destination. */
  public static readonly SUCCESS = 'Success';

  /** The function failed on its first attempt and on every retry: sent to the on-failure destination. */
  public static readonly RETRIES_EXHAUSTED = 'RetriesExhausted';

  /**
   * The function failed and the event would be older than the maximum event age at its next
   * retry (or waited in the queue that long): sent to the on-failure destination.
   */
  public static readonly EVENT_AGE_EXCEEDED = 'EventAgeExceeded';

  /** The function has reserved concurrency 0, so it never ran: sent to the on-failure destination. */
  public static readonly ZERO_RESERVED_CONCURRENCY = 'ZeroReservedConcurrency';

  /** Every condition a record can carry. */
  public static readonly ALL: string[] = [
    InvocationCondition.SUCCESS,
    InvocationCondition.RETRIES_EXHAUSTED,
    InvocationCondition.EVENT_AGE_EXCEEDED,
    InvocationCondition.ZERO_RESERVED_CONCURRENCY,
  ];

  private constructor() {}
}
