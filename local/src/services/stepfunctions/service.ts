import { parseDefinition } from './definition';
import {
  executionAlreadyExists, executionDoesNotExist, invalidArn, invalidExecutionInput, invalidName, stateMachineDoesNotExist,
} from './errors';
import { Execution, RunnerOptions, StateMachineRunner } from './interpreter';
import {
  EXECUTION_ARN, executionArnOf, ExecutionRecord, MAX_INPUT_BYTES, STATE_MACHINE_ARN, StateMachine, validExecutionName,
} from './model';

/**
 * The local Step Functions: the state machines the deployer creates, their executions run by
 * {@link StateMachineRunner}, and what the API asks of them. No HTTP here (that is api.ts): methods
 * take and return model types and throw the API errors of errors.ts.
 */
export class StepFunctionsService {
  private readonly runner: StateMachineRunner;
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, ExecutionRecord>();

  constructor(private readonly opts: RunnerOptions) {
    this.runner = new StateMachineRunner(opts);
  }

  /**
   * Creates (or updates, keeping the creation date) a STANDARD state machine.
   * Throws {@link InvalidDefinitionError} when the definition is invalid or unsupported.
   */
  public createStateMachine(arn: string, name: string, definition: string, roleArn: string): void {
    if (!STATE_MACHINE_ARN.test(arn)) throw new Error(`invalid state machine ARN '${arn}'`);
    const parsed = parseDefinition(definition);
    const previous = this.machines.get(arn);
    this.machines.set(arn, {
      arn,
      name,
      roleArn,
      definitionString: definition,
      definition: parsed,
      creationDate: previous?.creationDate ?? this.now(),
    });
  }

  /** Deletes a state machine, stopping its running executions. */
  public deleteStateMachine(arn: string): void {
    if (!this.machines.delete(arn)) return;
    for (const r of this.executions.values()) {
      if (r.stateMachine.arn === arn) r.execution.stop('States.Aborted', 'The state machine was deleted');
    }
  }

  /** The state machine behind an ARN; `InvalidArn` or `StateMachineDoesNotExist` otherwise. */
  public stateMachine(arn: string): StateMachine {
    if (!STATE_MACHINE_ARN.test(arn)) throw invalidArn(arn);
    const sm = this.machines.get(arn);
    if (!sm) throw stateMachineDoesNotExist(arn);
    return sm;
  }

  /** Every state machine, oldest first. */
  public stateMachines(): StateMachine[] {
    return [...this.machines.values()];
  }

  /** The execution record behind an ARN; `InvalidArn` or `ExecutionDoesNotExist` otherwise. */
  public executionRecord(arn: string): ExecutionRecord {
    if (!EXECUTION_ARN.test(arn)) throw invalidArn(arn);
    const r = this.executions.get(arn);
    if (!r) throw executionDoesNotExist(arn);
    return r;
  }

  /** The executions of a state machine, newest first, with `status` only if given. */
  public executionsOf(sm: StateMachine, status?: string): ExecutionRecord[] {
    return [...this.executions.values()]
      .filter((r) => r.stateMachine.arn === sm.arn && (status === undefined || r.execution.status === status))
      .reverse();
  }

  /**
   * Starts an execution of `sm` named `name` with the JSON text `inputString`. The same name and
   * input as a running execution gives that execution back (Step Functions is idempotent there);
   * any other reuse of a name is `ExecutionAlreadyExists`.
   */
  public startExecution(sm: StateMachine, name: string, inputString: string): ExecutionRecord {
    if (!validExecutionName(name)) throw invalidName(name);
    if (Buffer.byteLength(inputString) > MAX_INPUT_BYTES) throw invalidExecutionInput(`input exceeds ${MAX_INPUT_BYTES} bytes`);
    let input: unknown;
    try {
      input = JSON.parse(inputString);
    } catch (e: any) {
      throw invalidExecutionInput(`'${e.message}'`);
    }
    const arn = executionArnOf(sm.arn, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.execution.status === 'RUNNING' && existing.inputString === inputString) return existing;
      throw executionAlreadyExists(arn);
    }
    const execution = this.runner.start(sm.definition, input, {
      executionArn: arn, name, stateMachineArn: sm.arn, stateMachineName: sm.name, roleArn: sm.roleArn,
    });
    const record: ExecutionRecord = { arn, name, stateMachine: sm, inputString, execution };
    this.executions.set(arn, record);
    return record;
  }

  /** Stops a running execution (nothing if it has ended) and returns when it stopped. */
  public stopExecution(r: ExecutionRecord, error?: string, cause?: string): Date {
    r.execution.stop(error, cause);
    return r.execution.stopDate ?? this.now();
  }

  /** The execution behind an ARN (for the local cloud's own use, e.g. waiting for it in tests). */
  public execution(executionArn: string): Execution | undefined {
    return this.executions.get(executionArn)?.execution;
  }

  /** Resolves once no execution is running. */
  public idle(): Promise<void> {
    return this.runner.idle();
  }

  /** Aborts all running executions and clears every timer. */
  public dispose(): void {
    this.runner.dispose();
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }
}
