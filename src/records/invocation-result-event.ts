/**
 * The EventBridge event that carries an invocation record when the destination is an event bus:
 * `{"version":"0","id","detail-type","source","account","time","region","resources":[<bus ARN>,
 * <qualified function ARN>],"detail":<the record>}`.
 *
 * A JSON Schema of it ships in the npm package: `schema/invocation-result-event.schema.json`.
 */
export class InvocationResultEvent {
  /** The event's `source`, as recorded on AWS. */
  public static readonly SOURCE = 'lambda';

  /** The event's `detail-type` for records of successful invocations. */
  public static readonly SUCCESS_DETAIL_TYPE = 'Lambda Function Invocation Result - Success';

  /** The event's `detail-type` for records of failed or dropped invocations. */
  public static readonly FAILURE_DETAIL_TYPE = 'Lambda Function Invocation Result - Failure';

  private constructor() {}
}
