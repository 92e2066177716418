import { StateMachineDefinition } from './definition';
import { Execution } from './interpreter';

/** A STANDARD state machine: what the deployer created, parsed once. */
export interface StateMachine {
  readonly arn: string;
  readonly name: string;
  /** the definition as it was given (DescribeStateMachine returns it) */
  readonly definitionString: string;
  readonly definition: StateMachineDefinition;
  readonly roleArn: string;
  readonly creationDate: Date;
}

/** One execution of a state machine: its name, its input as given, and the running {@link Execution}. */
export interface ExecutionRecord {
  readonly arn: string;
  readonly name: string;
  readonly stateMachine: StateMachine;
  readonly inputString: string;
  readonly execution: Execution;
}

/** The statuses ListExecutions filters by. */
export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

/** `arn:aws:states:<region>:<account>:stateMachine:<name>` */
export const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})$/;

/** `arn:aws:states:<region>:<account>:execution:<state machine>:<execution>` */
export const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[^\s]{1,80}$/;

/** Step Functions' rule for an execution name: 1 to 80 characters, no whitespace, brackets, wildcards or control characters. */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/** Largest execution input, in UTF-8 bytes. */
export const MAX_INPUT_BYTES = 256 * 1024;

/** Whether Step Functions accepts `name` as an execution's name. */
export function validExecutionName(name: string): boolean {
  return EXECUTION_NAME.test(name);
}

/** `arn:aws:states:R:A:stateMachine:SM` + name → `arn:aws:states:R:A:execution:SM:name` */
export function executionArnOf(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
}
