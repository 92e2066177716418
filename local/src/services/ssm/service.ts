import { parameterNotFound, SsmError, validation } from './errors';
import { checkParameterName, MAX_VALUE_BYTES, Parameter, PARAMETER_TYPES, ParameterType } from './model';

/** Most parameters kept (AWS's standard tier allows 10,000 per account and region). */
const MAX_PARAMETERS = 10_000;

/** SSM Parameter Store: String, StringList and SecureString parameters by name, with versions. */
export class SsmService {
  private readonly parameters = new Map<string, Parameter>();

  /** Stores a parameter; without `overwrite`, an existing name is a ParameterAlreadyExists error. */
  public put(input: { name: unknown; value: unknown; type?: unknown; overwrite?: boolean; description?: unknown; dataType?: unknown }): Parameter {
    const name = checkParameterName(input.name);
    const old = this.parameters.get(name);
    if (old && !input.overwrite) {
      throw new SsmError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    if (typeof input.value !== 'string' || input.value.length === 0) {
      throw validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    if (Buffer.byteLength(input.value) > MAX_VALUE_BYTES) {
      throw validation(`Standard tier parameters support a maximum parameter value of ${MAX_VALUE_BYTES} characters.`);
    }
    const type = (input.type ?? old?.type ?? 'String') as ParameterType;
    if (!PARAMETER_TYPES.includes(type)) {
      throw validation(`1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [${PARAMETER_TYPES.join(', ')}]`);
    }
    if (!old && this.parameters.size >= MAX_PARAMETERS) {
      throw new SsmError('ParameterLimitExceeded', `You have exceeded the number of parameters for this AWS account (${MAX_PARAMETERS}).`);
    }
    const parameter: Parameter = {
      name,
      type,
      value: input.value,
      version: (old?.version ?? 0) + 1,
      lastModifiedDate: new Date(),
      description: typeof input.description === 'string' ? input.description : old?.description,
      dataType: typeof input.dataType === 'string' ? input.dataType : 'text',
    };
    this.parameters.set(name, parameter);
    return parameter;
  }

  /** The parameter, or a ParameterNotFound error (a `name:version` selector must name the current version). */
  public get(nameOrSelector: string): Parameter {
    const [name, version] = splitSelector(nameOrSelector);
    const p = this.parameters.get(name);
    if (!p || (version !== undefined && version !== p.version)) throw parameterNotFound(nameOrSelector);
    return p;
  }

  /** Whether the parameter exists. */
  public has(name: string): boolean {
    return this.parameters.has(splitSelector(name)[0]);
  }

  /** Deletes the parameter, or throws ParameterNotFound. */
  public delete(name: string): void {
    if (!this.parameters.delete(name)) throw parameterNotFound(name);
  }

  /** Every parameter under a path (`/a/b`), optionally in sub-paths too, by name. */
  public byPath(path: string, recursive: boolean): Parameter[] {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    return [...this.parameters.values()]
      .filter((p) => p.name.startsWith(prefix) && (recursive || !p.name.slice(prefix.length).includes('/')))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every parameter, by name. */
  public list(): Parameter[] {
    return [...this.parameters.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** `name` or `name:version` (labels are not kept). */
function splitSelector(selector: string): [string, number | undefined] {
  const m = /^(.*):(\d+)$/.exec(selector);
  return m ? [m[1], Number(m[2])] : [selector, undefined];
}
