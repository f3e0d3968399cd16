/**
 * The CEL environment a policy's conditions are checked and evaluated in: every variable of
 * variables.ts with its type, the policy's lists, and three helper functions the surface
 * language compiles to (also usable in `when:`):
 *   all_in(list, list)   every element of the first list is in the second
 *   none_in(list, list)  no element of the first list is in the second
 *   glob(text, pattern)  file-name style glob match (minimatch, no brace or extglob expansion)
 */
import { Environment } from '@marcbachmann/cel-js';
import { minimatch } from 'minimatch';
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
  return env;
}
