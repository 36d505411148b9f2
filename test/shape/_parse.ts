// Reads one TypeScript source with the compiler's own parser and returns what the shape rules
// look at: the modules it imports, its functions with their line spans, and its uses of the
// clock and of `process`. Nothing here knows the rules; `_rules.ts` applies them.
import ts from "typescript";

export interface ImportRef {
  specifier: string;
  line: number;
}

export interface FunctionSpan {
  name: string;
  line: number;
  lines: number;
  /** A `describe`/`suite` callback: it groups tests, the size rule leaves it alone. */
  suite: boolean;
}

/** A use of ambient state a pure module must not touch: the clock, timers, `process`. */
export interface AmbientUse {
  what: string;
  line: number;
}

export interface ParsedSource {
  lines: number;
  imports: ImportRef[];
  functions: FunctionSpan[];
  ambient: AmbientUse[];
}

const clockCalls = new Set(["setTimeout", "setInterval", "setImmediate"]);
const clockProperties = new Set(["Date.now", "performance.now", "performance.timeOrigin"]);

export function parseSource(fileName: string, text: string): ParsedSource {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
  const parsed: ParsedSource = { lines: countLines(text), imports: [], functions: [], ambient: [] };
  const names = new Map<string, number>();

  const visit = (node: ts.Node): void => {
    const specifier = importSpecifier(node);
    if (specifier !== undefined) parsed.imports.push({ specifier, line: lineOf(node.getStart(source)) });
    const ambient = ambientUse(node);
    if (ambient !== undefined) parsed.ambient.push({ what: ambient, line: lineOf(node.getStart(source)) });
    if (isFunction(node)) {
      const line = lineOf(node.getStart(source));
      const lines = lineOf(node.getEnd()) - line + 1;
      parsed.functions.push({ name: uniqueName(names, functionName(node)), line, lines, suite: isSuiteBody(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return parsed;
}

/** Lines as an editor numbers them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === "") return 0;
  const breaks = text.split("\n").length - 1;
  return text.endsWith("\n") ? breaks : breaks + 1;
}

/** The module a node imports: `import … from`, `export … from`, `import("…")`, `import("…").T`. */
function importSpecifier(node: ts.Node): string | undefined {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
    const from = node.moduleSpecifier;
    return from !== undefined && ts.isStringLiteral(from) ? from.text : undefined;
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const [argument] = node.arguments;
    return argument !== undefined && ts.isStringLiteralLike(argument) ? argument.text : undefined;
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
    const literal = node.argument.literal;
    return ts.isStringLiteral(literal) ? literal.text : undefined;
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    const expression = node.moduleReference.expression;
    return ts.isStringLiteral(expression) ? expression.text : undefined;
  }
  return undefined;
}

function ambientUse(node: ts.Node): string | undefined {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Date") {
    return node.arguments === undefined || node.arguments.length === 0 ? "new Date()" : undefined;
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && clockCalls.has(node.expression.text)) {
    return node.expression.text;
  }
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const text = `${node.expression.text}.${node.name.text}`;
    if (clockProperties.has(text)) return text;
    if (node.expression.text === "process") return text;
  }
  return undefined;
}

type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.AccessorDeclaration;

function isFunction(node: ts.Node): node is FunctionNode {
  return (
    (ts.isFunctionDeclaration(node) && node.body !== undefined) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    (ts.isMethodDeclaration(node) && node.body !== undefined) ||
    (ts.isConstructorDeclaration(node) && node.body !== undefined) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/**
 * A name that stays the same when lines move, so a ratchet entry survives edits elsewhere in
 * the file: `f`, `Class.method`, `object.key`, `it("x") callback`, `<anonymous> in f`.
 */
function functionName(node: FunctionNode): string {
  const own = ownName(node);
  if (own !== undefined) {
    const container = containerName(node);
    return container === undefined ? own : `${container}.${own}`;
  }
  const outer = enclosingFunctionName(node);
  return outer === undefined ? "<anonymous>" : `<anonymous> in ${outer}`;
}

function ownName(node: FunctionNode): string | undefined {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  if (node.name !== undefined) return propertyName(node.name);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return propertyName(parent.name);
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return parent.left.getText();
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) return callbackName(parent);
  return undefined;
}

/**
 * The call a callback is passed to: `it("does x") callback` by its label, else by where it is,
 * `items.map callback in render`.
 */
function callbackName(call: ts.CallExpression): string {
  const callee = calleeName(call.expression);
  const [first] = call.arguments;
  if (first !== undefined && ts.isStringLiteralLike(first)) return `${callee}(${JSON.stringify(first.text)}) callback`;
  const outer = enclosingFunctionName(call);
  return outer === undefined ? `${callee} callback` : `${callee} callback in ${outer}`;
}

/** `it`, `items.map`, `this.watch`; a longer chain only by its last name: `filter`. */
function calleeName(callee: ts.Expression): string {
  if (!ts.isPropertyAccessExpression(callee)) return ts.isIdentifier(callee) ? callee.text : "<expression>";
  const owner = callee.expression;
  if (ts.isIdentifier(owner)) return `${owner.text}.${callee.name.text}`;
  return owner.kind === ts.SyntaxKind.ThisKeyword ? `this.${callee.name.text}` : callee.name.text;
}

/** A callback that only groups test cases (`describe`, `suite`): a list of tests, not logic. */
function isSuiteBody(node: FunctionNode): boolean {
  const parent = node.parent;
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(node as ts.Expression)) return false;
  const callee = calleeName(parent.expression).split(".")[0];
  return callee === "describe" || callee === "suite";
}

function propertyName(name: ts.Node): string {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return name.getText();
}

/** The class, or the variable holding the object literal, that a method belongs to. */
function containerName(node: FunctionNode): string | undefined {
  let holder: ts.Node = node.parent;
  if (ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) holder = holder.parent;
  if (ts.isClassLike(holder)) return holder.name?.text ?? "<class>";
  if (ts.isObjectLiteralExpression(holder)) {
    const owner = holder.parent;
    if (ts.isVariableDeclaration(owner) || ts.isPropertyAssignment(owner)) return propertyName(owner.name);
    return enclosingFunctionName(holder);
  }
  return undefined;
}

function enclosingFunctionName(node: ts.Node): string | undefined {
  for (let up = node.parent; up !== undefined; up = up.parent) {
    if (isFunction(up)) return functionName(up);
  }
  return undefined;
}

function uniqueName(seen: Map<string, number>, name: string): string {
  const count = (seen.get(name) ?? 0) + 1;
  seen.set(name, count);
  return count === 1 ? name : `${name} #${count}`;
}
