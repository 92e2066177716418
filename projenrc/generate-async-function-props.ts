import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Generates `src/async-function-props.ts`: `AsyncFunctionProps`, every property of aws-cdk-lib's
 * `lambda.FunctionProps` re-declared flat (jsii forbids redeclaring inherited members, JSII5015),
 * except the members of `lambda.EventInvokeConfigOptions`, which come from `AsyncInvocationOptions`.
 *
 * Run with: npx ts-node --project projenrc/tsconfig.json projenrc/generate-async-function-props.ts
 */

const ROOT = path.join(__dirname, '..');
const CDK_LIB = path.join(ROOT, 'node_modules', 'aws-cdk-lib');
const LAMBDA_LIB = path.join(CDK_LIB, 'aws-lambda', 'lib');

/** The committed output. */
export const OUTPUT_FILE = path.join(ROOT, 'src', 'async-function-props.ts');

/** The alias under which `aws-cdk-lib/aws-lambda` is imported in the generated file. */
const LAMBDA_ALIAS = 'lambda';
const LAMBDA_MODULE = 'aws-cdk-lib/aws-lambda';

/** One mirrored interface member. */
interface Member {
  readonly name: string;
  readonly docs: string;
  readonly optional: boolean;
  readonly type: string;
}

/** The imports the generated file needs: module => namespace alias or named imports. */
class Imports {
  private readonly namespaces = new Map<string, string>();
  private readonly named = new Map<string, Set<string>>();

  public namespace(moduleName: string, alias: string): void {
    const existing = this.namespaces.get(moduleName);
    if (existing !== undefined && existing !== alias) {
      throw new Error(`${moduleName} imported both as ${existing} and ${alias}`);
    }
    this.namespaces.set(moduleName, alias);
  }

  public name(moduleName: string, name: string): void {
    const names = this.named.get(moduleName) ?? new Set<string>();
    names.add(name);
    this.named.set(moduleName, names);
  }

  /** Import statements, ordered as eslint's import/order rule (alphabetize asc, case-insensitive) wants. */
  public render(): string[] {
    const lines: Array<{ module: string; line: string }> = [];
    for (const [moduleName, alias] of this.namespaces) {
      lines.push({ module: moduleName, line: `import * as ${alias} from '${moduleName}';` });
    }
    for (const [moduleName, names] of this.named) {
      if (this.namespaces.has(moduleName)) {
        throw new Error(`${moduleName} is imported both as a namespace and by name`);
      }
      const sorted = [...names].sort(compareInsensitive);
      lines.push({ module: moduleName, line: `import { ${sorted.join(', ')} } from '${moduleName}';` });
    }
    return lines.sort((a, b) => compareInsensitive(a.module, b.module)).map(l => l.line);
  }
}

function compareInsensitive(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) {
    return la < lb ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function findInterface(source: ts.SourceFile, name: string): ts.InterfaceDeclaration {
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) {
    throw new Error(`interface ${name} not found in ${source.fileName}`);
  }
  return found;
}

/** The names of the interfaces `decl` extends, as written. */
function baseNames(decl: ts.InterfaceDeclaration): string[] {
  return (decl.heritageClauses ?? []).flatMap(clause => clause.types.map(t => t.expression.getText()));
}

function expectBases(decl: ts.InterfaceDeclaration, expected: string[]): void {
  const actual = baseNames(decl);
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${decl.name.text} extends [${actual.join(', ')}], the generator expects [${expected.join(', ')}]: update it`);
  }
}

function propertyName(member: ts.TypeElement): string {
  if (!ts.isPropertySignature(member) || !member.name || !ts.isIdentifier(member.name)) {
    throw new Error(`unsupported interface member: ${member.getText()}`);
  }
  return member.name.text;
}

/** The JSDoc comment of a member, re-indented for a member of a top-level interface. */
function docsOf(member: ts.PropertySignature, source: ts.SourceFile): string {
  const ranges = ts.getLeadingCommentRanges(source.text, member.getFullStart()) ?? [];
  const jsdoc = ranges.filter(r => r.kind === ts.SyntaxKind.MultiLineCommentTrivia && source.text.startsWith('/**', r.pos));
  if (jsdoc.length === 0) {
    throw new Error(`${propertyName(member)} has no JSDoc comment`);
  }
  const last = jsdoc[jsdoc.length - 1];
  return source.text.slice(last.pos, last.end)
    .split(/\r?\n/)
    .map((line, i) => {
      const text = line.trim();
      return i === 0 ? `  ${text}` : `   ${text}`;
    })
    .join('\n');
}

/** Where each identifier used in `source` comes from. */
interface Resolver {
  /** Rewrites a type reference name (`Runtime`, `ec2.IVpc`) so it resolves from the generated file. */
  resolve(typeName: ts.EntityName): string;
}

/** Maps a module specifier of a file in aws-cdk-lib/aws-lambda/lib to a public aws-cdk-lib module, or `undefined` for aws-lambda itself. */
function publicModule(specifier: string, lambdaModules: Set<string>): string | undefined {
  if (specifier.startsWith('./')) {
    if (!lambdaModules.has(specifier)) {
      throw new Error(`${specifier} is not exported from ${LAMBDA_MODULE}`);
    }
    return undefined;
  }
  if (specifier === '../../core') {
    return 'aws-cdk-lib';
  }
  const match = /^\.\.\/\.\.\/(aws-[a-z0-9-]+)$/.exec(specifier);
  if (match) {
    return `aws-cdk-lib/${match[1]}`;
  }
  throw new Error(`cannot map module ${specifier} to a public aws-cdk-lib module`);
}

function createResolver(source: ts.SourceFile, imports: Imports): Resolver {
  const index = parse(path.join(LAMBDA_LIB, 'index.d.ts'));
  const lambdaModules = new Set(index.statements
    .filter(ts.isExportDeclaration)
    .filter(s => s.exportClause === undefined && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier))
    .map(s => (s.moduleSpecifier as ts.StringLiteral).text));

  /** Local name => where it was imported from. */
  const named = new Map<string, { module: string; name: string }>();
  const namespaces = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      namespaces.set(bindings.name.text, statement.moduleSpecifier.text);
    } else if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        named.set(element.name.text, {
          module: statement.moduleSpecifier.text,
          name: (element.propertyName ?? element.name).getText(),
        });
      }
    }
  }
  const localExports = new Set(source.statements
    .filter((s): s is ts.InterfaceDeclaration | ts.EnumDeclaration | ts.ClassDeclaration | ts.TypeAliasDeclaration =>
      ts.isInterfaceDeclaration(s) || ts.isEnumDeclaration(s) || ts.isClassDeclaration(s) || ts.isTypeAliasDeclaration(s))
    .filter(s => s.modifiers?.some(m => m.kind === ts.SyntaxKind.ExportKeyword) && s.name !== undefined)
    .map(s => s.name!.text));

  const lambdaName = (name: string) => {
    imports.namespace(LAMBDA_MODULE, LAMBDA_ALIAS);
    return `${LAMBDA_ALIAS}.${name}`;
  };

  return {
    resolve(typeName: ts.EntityName): string {
      if (ts.isQualifiedName(typeName)) {
        if (!ts.isIdentifier(typeName.left)) {
          throw new Error(`unsupported type name ${typeName.getText()}`);
        }
        const specifier = namespaces.get(typeName.left.text);
        const moduleName = specifier === undefined ? undefined : publicModule(specifier, lambdaModules);
        if (moduleName === undefined) {
          throw new Error(`cannot resolve namespace ${typeName.left.text} of ${typeName.getText()}`);
        }
        imports.namespace(moduleName, typeName.left.text);
        return `${typeName.left.text}.${typeName.right.text}`;
      }
      const name = typeName.text;
      if (localExports.has(name)) {
        return lambdaName(name);
      }
      const imported = named.get(name);
      if (imported) {
        const moduleName = publicModule(imported.module, lambdaModules);
        if (moduleName === undefined) {
          return lambdaName(imported.name);
        }
        if (imported.name !== name) {
          throw new Error(`aliased import ${imported.name} as ${name} is not supported`);
        }
        imports.name(moduleName, name);
        return name;
      }
      throw new Error(`cannot resolve type ${name} in ${source.fileName}`);
    },
  };
}

/** The text of a type, with every type reference rewritten and the 4-space indentation of .d.ts files halved. */
function rewriteType(type: ts.TypeNode, source: ts.SourceFile, resolver: Resolver): string {
  const replacements: Array<{ start: number; end: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) {
      replacements.push({ start: node.typeName.getStart(source), end: node.typeName.getEnd(), text: resolver.resolve(node.typeName) });
      node.typeArguments?.forEach(visit);
      return;
    }
    if (ts.isTypeQueryNode(node) || ts.isImportTypeNode(node) || ts.isExpressionWithTypeArguments(node)) {
      throw new Error(`unsupported type ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(type);

  const start = type.getStart(source);
  let text = source.text.slice(start, type.getEnd());
  for (const r of replacements.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, r.start - start) + r.text + text.slice(r.end - start);
  }
  return text.split(/\r?\n/)
    .map((line, i) => {
      if (i === 0) {
        return line;
      }
      const indent = /^ */.exec(line)![0].length;
      return ' '.repeat(Math.floor(indent / 2)) + line.slice(indent);
    })
    .join('\n');
}

function membersOf(decl: ts.InterfaceDeclaration, source: ts.SourceFile, resolver: Resolver, excluded: Set<string>): Member[] {
  return decl.members
    .filter(member => !excluded.has(propertyName(member)))
    .map(member => {
      const property = member as ts.PropertySignature;
      if (!property.modifiers?.some(m => m.kind === ts.SyntaxKind.ReadonlyKeyword) || !property.type) {
        throw new Error(`${decl.name.text}.${propertyName(member)} is not a typed readonly property`);
      }
      return {
        name: propertyName(member),
        docs: docsOf(property, source),
        optional: property.questionToken !== undefined,
        type: rewriteType(property.type, source, resolver),
      };
    });
}

/** The generated source of `src/async-function-props.ts`. */
export function render(): { text: string; members: string[] } {
  const version = JSON.parse(fs.readFileSync(path.join(CDK_LIB, 'package.json'), 'utf-8')).version as string;
  const functionSource = parse(path.join(LAMBDA_LIB, 'function.d.ts'));
  const eventInvokeSource = parse(path.join(LAMBDA_LIB, 'event-invoke-config.d.ts'));

  const eventInvokeConfigOptions = findInterface(eventInvokeSource, 'EventInvokeConfigOptions');
  const excluded = new Set(eventInvokeConfigOptions.members.map(propertyName));
  const functionProps = findInterface(functionSource, 'FunctionProps');
  const functionOptions = findInterface(functionSource, 'FunctionOptions');
  expectBases(functionProps, ['FunctionOptions']);
  expectBases(functionOptions, ['EventInvokeConfigOptions']);

  const imports = new Imports();
  const resolver = createResolver(functionSource, imports);
  const members = [
    ...membersOf(functionProps, functionSource, resolver, excluded),
    ...membersOf(functionOptions, functionSource, resolver, excluded),
  ];
  const names = members.map(m => m.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) {
    throw new Error(`${duplicate} is declared twice`);
  }

  const lines = [
    `// ~~ Generated by projenrc/generate-async-function-props.ts from aws-cdk-lib ${version}. Do not edit by hand.`,
    ...imports.render(),
    "import { AsyncInvocationOptions } from './async-invocation';",
    '',
    '/**',
    ' * Properties for {@link AsyncFunction}: every property of `lambda.FunctionProps`, flat, with',
    ' * the asynchronous invocation settings typed by this library.',
    ' */',
    'export interface AsyncFunctionProps extends AsyncInvocationOptions {',
    members.map(m => `${m.docs}\n  readonly ${m.name}${m.optional ? '?' : ''}: ${m.type};`).join('\n\n'),
    '}',
    '',
  ];
  return { text: lines.join('\n'), members: names };
}

/** Writes the generated file to `outPath` and returns the names of the mirrored members. */
export function generate(outPath: string = OUTPUT_FILE): string[] {
  const { text, members } = render();
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, text, 'utf-8');
  return members;
}

if (require.main === module) {
  const members = generate();
  console.log(`wrote ${path.relative(ROOT, OUTPUT_FILE)}: ${members.length} members`);
}
