/**
 * The CEL environment a policy's conditions are checked and evaluated in: every variable of
 * variables.ts with its type, the policy's lists, and three helper functions the surface
 * language compiles to (also usable in `when:`):
 *   all_in(list, list)   every element of the first list is in the second
 *   none_in(list, list)  no element of the first list is in the second
 *   glob(text, pattern)  file-name style glob match (minimatch, no brace or extglob expansion)
 * CEL's `text.matches(regex)` runs on RE2 (re2js), as the CEL specification says, never on
 * JavaScript's backtracking RegExp: see linearMatches below.
 */
import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import { minimatch } from 'minimatch';
import { RE2JS } from 're2js';
import { CEL_ONLY_VARIABLES, CEL_TYPES, GROUPS, PREAPPROVED_LIST, VARIABLES } from './variables.js';

/** Parse limits: a policy condition is a line or two, never a program. */
export const CEL_LIMITS = { maxAstNodes: 500, maxDepth: 32, maxListElements: 200, maxMapEntries: 50, maxCallArguments: 8 };
export const MAX_GLOB_LENGTH = 200;

// The same answer on every machine (no Windows path rules), and no pattern that expands.
const GLOB_OPTIONS = { dot: true, nobrace: true, noext: true, nocomment: true, nonegate: true, platform: 'linux' } as const;

export function glob(value: string, pattern: string): boolean {
  // A hostile pattern must not cost more than a short one.
  if (pattern.length > MAX_GLOB_LENGTH) throw new Error(`glob pattern longer than ${MAX_GLOB_LENGTH} characters`);
  return minimatch(value, pattern, GLOB_OPTIONS);
}

/** The function `.matches(` calls are rewritten to (cel-js cannot replace its own `matches`). */
const LINEAR_MATCHES = 'linear_matches';
/** Compiled patterns, by source text: a policy has a handful; the bound keeps hostile data cheap. */
const compiled = new Map<string, RE2JS>();

/** RE2 (linear time in the text's length); throws on a pattern RE2 refuses, e.g. a backreference. */
export function re2(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

export interface LinearMatches {
  /** The expression with every `.matches(` call running on RE2. */
  cel: string;
  /** A literal pattern RE2 refuses: its offset in the text and RE2's reason. */
  problem?: { offset: number; reason: string };
}

/**
 * Rewrites `x.matches(p)` to `x.linear_matches(p)` in a parsed CEL expression, and checks each
 * literal pattern with RE2 now, so a pattern it refuses is a load error at its position, not a
 * failure when an app is judged. Only the method name changes: every other offset stays.
 */
export function linearMatches(text: string, ast: ASTNode): LinearMatches {
  const names: number[] = [];
  let problem: LinearMatches['problem'];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null || !('op' in node)) return;
    const n = node as ASTNode & { start: number; end: number; args: unknown };
    const args = n.args as unknown[];
    if (n.op === 'rcall' && args[0] === 'matches' && Array.isArray(args[2]) && args[2].length === 1) {
      const receiver = args[1] as { end: number };
      const pattern = args[2][0] as { op: string; args: unknown; start: number };
      // The method name is the last "matches" between the receiver and the pattern.
      const at = text.lastIndexOf('matches', pattern.start - 1);
      if (at >= receiver.end) names.push(at);
      if (pattern.op === 'value' && typeof pattern.args === 'string' && !problem) {
        try {
          re2(pattern.args);
        } catch (e) {
          problem = { offset: pattern.start, reason: (e as Error).message.replace(/^error parsing regexp: /, '') };
        }
      }
    }
    visit(n.args);
  };
  visit(ast);
  let cel = text;
  for (const at of names.sort((a, b) => b - a)) cel = `${cel.slice(0, at)}${LINEAR_MATCHES}${cel.slice(at + 'matches'.length)}`;
  return { cel, problem };
}

const typeName = (group: string): string => `microapps_${group}`;

export function createEnvironment(listNames: Iterable<string>): Environment {
  const env = new Environment({ limits: CEL_LIMITS });
  for (const [group, members] of GROUPS) {
    const fields: Record<string, string> = {};
    for (const name of members) fields[name.slice(group.length + 1)] = CEL_TYPES[VARIABLES.find((s) => s.name === name)!.type];
    env.registerType(typeName(group), { fields });
    env.registerVariable(group, typeName(group));
  }
  for (const spec of VARIABLES) if (!spec.name.includes('.')) env.registerVariable(spec.name, CEL_TYPES[spec.type]);
  for (const [name, type] of CEL_ONLY_VARIABLES) env.registerVariable(name, type);
  env.registerVariable(PREAPPROVED_LIST, 'list<string>');
  for (const name of listNames) env.registerVariable(name, 'list<string>');
  env.registerFunction('all_in(list<string>, list<string>): bool', (a: string[], b: string[]) => a.every((x) => b.includes(x)));
  env.registerFunction('none_in(list<string>, list<string>): bool', (a: string[], b: string[]) => !a.some((x) => b.includes(x)));
  env.registerFunction('glob(string, string): bool', glob);
  env.registerFunction(`string.${LINEAR_MATCHES}(string): bool`, (text: string, pattern: string) => re2(pattern).test(text));
  return env;
}
