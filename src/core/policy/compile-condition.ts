/**
 * Compiles one condition, written in the surface language or as raw CEL (`when:`), into a
 * checked cel-js program. Problems come back with offsets into the condition text; the loader
 * turns them into file positions.
 */
import type { Environment, ASTNode } from '@marcbachmann/cel-js';
import { linearMatches } from './cel-env.js';
import { closestName, didYouMean } from '../did-you-mean.js';
import { compileSurface, type ConditionWarning, type Scope } from './surface/compile.js';
import { parseCondition } from './surface/parse.js';
import { ConditionError } from '../errors.js';
import type { Facts } from './types.js';
import { CEL_ONLY_VARIABLES, GROUPS, PREAPPROVED_LIST, VARIABLES_BY_NAME } from './variables.js';

/** Longer conditions are refused: a policy rule is read by people (limits as in the JSON schema). */
export const MAX_CONDITION_LENGTH = { surface: 2000, cel: 4000 } as const;

export interface ConditionProblem {
  code: string;
  message: string;
  offset: number;
}

export type ConditionResult =
  | { ok: true; cel: string; reads: string[]; test: (facts: Facts) => boolean; warnings: ConditionWarning[] }
  | { ok: false; problem: ConditionProblem };

export function compileCondition(text: string, kind: 'surface' | 'cel', env: Environment, scope: Scope): ConditionResult {
  if (text.length > MAX_CONDITION_LENGTH[kind]) {
    return fail(
      'policy.too-long',
      `This condition is ${text.length} characters long; at most ${MAX_CONDITION_LENGTH[kind]} are allowed. Split it into simpler rules.`,
      0,
    );
  }
  let cel = text;
  let reads: string[] = [];
  let warnings: ConditionWarning[] = [];
  if (kind === 'surface') {
    try {
      const compiled = compileSurface(parseCondition(text), scope);
      ({ cel, reads, warnings } = compiled);
    } catch (e) {
      if (e instanceof ConditionError) return fail(e.code, e.message, e.offset);
      throw e;
    }
  }
  let program: ReturnType<Environment['parse']>;
  try {
    program = env.parse(cel);
  } catch (e) {
    return celFailure(e, kind, text, scope);
  }
  const checked = program.check();
  if (!checked.valid) return celFailure(checked.error, kind, text, scope);
  if (checked.type !== 'bool') {
    return fail(
      'policy.type-error',
      `This expression gives ${checked.type === 'string' ? 'text' : `a value of type ${checked.type}`}, not true or false. A condition must be a yes/no test.`,
      0,
    );
  }
  if (kind === 'cel') {
    reads = celReads(program.ast, scope);
    const bare = bareLiteral(program.ast);
    if (bare)
      return fail(
        'policy.bare-literal',
        'A fixed value on its own is not a condition: it never looks at the app. Write a test such as environment == "sandbox".',
        bare.start,
      );
    if (!reads.some((name) => !scope.lists.has(name))) {
      return fail('policy.bare-literal', 'This expression reads no variable of the app, so it is always true or always false.', 0);
    }
  }
  // Regular expressions run on RE2 (linear time): a policy pattern cannot hang the gate.
  const linear = linearMatches(cel, program.ast);
  if (linear.problem) {
    return fail(
      'policy.regex',
      `This regular expression cannot be used: ${linear.problem.reason}. Patterns follow RE2 syntax (no backreferences such as \\1, no lookahead or lookbehind).`,
      kind === 'cel' ? linear.problem.offset : 0,
    );
  }
  const runnable = linear.cel === cel ? program : env.parse(linear.cel);
  if (runnable !== program && !runnable.check().valid) {
    // Not expected; refused rather than run on JavaScript's backtracking engine.
    return fail('policy.regex', "This condition's .matches() calls could not be set up to run on RE2. Simplify the condition.", 0);
  }
  const test = (facts: Facts): boolean => runnable(facts) === true;
  return { ok: true, cel, reads, test, warnings };
}

function fail(code: string, message: string, offset: number): ConditionResult {
  return { ok: false, problem: { code, message, offset } };
}

/**
 * A cel-js parse or type error. For raw CEL its range is an offset of the author's text; for the
 * surface language it would be an offset of generated text, so it points at the condition's start
 * (this backstop only fires if the surface checker missed something).
 */
function celFailure(error: unknown, kind: 'surface' | 'cel', text: string, scope: Scope): ConditionResult {
  const e = error as { name?: string; code?: string; summary?: string; message?: string; range?: { start: number; end: number } };
  const offset = kind === 'cel' ? Math.max(0, Math.min(e.range?.start ?? 0, text.length)) : 0;
  const summary = e.summary ?? (e.message ?? 'invalid expression').split('\n')[0];
  if (e.name === 'ParseError') {
    return fail(
      e.code === 'limit_exceeded' ? 'policy.too-complex' : 'policy.syntax',
      `This CEL expression is not valid: ${summary}.`,
      offset,
    );
  }
  if (e.code === 'unknown_variable' && kind === 'cel' && e.range) {
    const word = text.slice(e.range.start, e.range.end);
    const names = [...VARIABLES_BY_NAME.keys(), ...GROUPS.keys(), ...CEL_ONLY_VARIABLES.keys(), PREAPPROVED_LIST, ...scope.lists.keys()];
    return fail('policy.unknown-variable', `There is no variable or list called "${word}".${didYouMean(word, names)}`, offset);
  }
  if (e.code === 'no_such_key' && kind === 'cel' && e.range) {
    const field = text.slice(e.range.start, e.range.end);
    const fields = [...VARIABLES_BY_NAME.keys()].filter((n) => n.includes('.')).map((n) => n.slice(n.indexOf('.') + 1));
    const guess = closestName(field, fields);
    return fail('policy.unknown-variable', `There is no field called "${field}" here.${guess ? ` Did you mean "${guess}"?` : ''}`, offset);
  }
  return fail('policy.type-error', `This expression does not type-check: ${summary}.`, offset);
}

/** Dotted names of the declared variables and lists a CEL expression reads (macro variables are skipped). */
function celReads(ast: ASTNode, scope: Scope): string[] {
  const found: string[] = [];
  const declared = (name: string): boolean =>
    VARIABLES_BY_NAME.has(name) || CEL_ONLY_VARIABLES.has(name) || GROUPS.has(name) || name === PREAPPROVED_LIST || scope.lists.has(name);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null || !('op' in node)) return;
    const n = node as ASTNode;
    let name: string | undefined;
    if (n.op === '.' && n.args[0].op === 'id' && VARIABLES_BY_NAME.has(`${n.args[0].args}.${n.args[1]}`))
      name = `${n.args[0].args}.${n.args[1]}`;
    else if (n.op === 'id' && declared(n.args)) name = n.args;
    if (name === undefined) {
      visit(n.args);
      return;
    }
    if (!found.includes(name)) found.push(name);
  };
  visit(ast);
  return found;
}

/** A literal used where a yes/no test belongs: the whole expression, or an operand of &&, || or !. */
function bareLiteral(ast: ASTNode): ASTNode | undefined {
  if (ast.op === 'value') return ast;
  if (ast.op === '&&' || ast.op === '||') return bareLiteral(ast.args[0]) ?? bareLiteral(ast.args[1]);
  if (ast.op === '!_') return bareLiteral(ast.args);
  return undefined;
}
