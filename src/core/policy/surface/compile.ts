/**
 * Type-checks a parsed condition and turns it into CEL text. Checking happens here, on the
 * surface syntax, so errors speak the policy author's language and point at the offending word;
 * cel-js checks the generated CEL again afterwards as a backstop.
 *
 * Semantics (DESIGN.md section 3):
 *   a == b, a != b       lists compare as sets (order and repeats do not matter)
 *   < <= > >=            numbers, or text in alphabetical order
 *   x in L, x not in L   membership; with a list on the left: every element is in L /
 *                        no element is in L (so `connectors not in blocked` reads as written)
 *   A subset_of B        every element of A is in B
 *   L include v          v is in L; `include a or b` any of them, `include a and b` all of them
 *   s matches "glob"     file-name style glob (* ? [abc]); text only
 */
import { didYouMean, closestName } from '../../did-you-mean.js';
import { GROUPS, PREAPPROVED_LIST, TYPE_WORDS, VARIABLES_BY_NAME, CEL_ONLY_VARIABLES, type SurfaceType } from '../variables.js';
import { ConditionError } from '../../errors.js';
import type { LiteralNode, Node } from './parse.js';

export interface Scope {
  /** The policy's own lists, by name. */
  lists: ReadonlyMap<string, readonly string[]>;
  knownConnectorIds: readonly string[];
  /** The policy's data classes: a literal compared with data_types must be one (a typo would never match). */
  dataClasses?: ReadonlyMap<string, string>;
}

/** Variables whose values are data classes. */
const DATA_CLASS_VARIABLES: ReadonlySet<string> = new Set(['data_types', 'change.added_data_types']);

/** A warning that does not stop the policy from loading (e.g. a connector id not in the catalog). */
export interface ConditionWarning {
  code: string;
  message: string;
  offset: number;
  /** Set when the warning is about an item of a `lists:` entry rather than the condition text. */
  listItem?: { list: string; index: number };
}

export interface CompiledSurface {
  cel: string;
  /** Dotted names of the variables and lists read, in order of first use. */
  reads: string[];
  warnings: ConditionWarning[];
}

interface Typed {
  type: SurfaceType;
  cel: string;
  node: Node;
  /** True when the value depends on the app or the catalog (not only on literals and lists). */
  dynamic: boolean;
  /** Set when the value is made of connector ids. */
  connectorIds: boolean;
}

type Role = 'value' | 'list' | 'condition';

export function compileSurface(root: Node, scope: Scope): CompiledSurface {
  const reads: string[] = [];
  const warnings: ConditionWarning[] = [];
  const allNames = [...VARIABLES_BY_NAME.keys(), PREAPPROVED_LIST, ...scope.lists.keys()];

  const condition = (node: Node, context: string): string => {
    if (node.kind === 'literal' || node.kind === 'list') {
      const hint =
        context === 'joined'
          ? ' To test several values, write for example environment in ["sandbox", "production"].'
          : ' Write a test such as environment == "sandbox".';
      throw new ConditionError(
        'policy.bare-literal',
        `${describe(node)} on its own is not a condition: it never looks at the app.${hint}`,
        node.start,
      );
    }
    const typed = expression(node, 'condition');
    if (typed.type !== 'bool') {
      throw new ConditionError(
        'policy.type-error',
        `"${nameOf(node)}" is ${TYPE_WORDS[typed.type]}, not a yes/no test. Compare it with something, for example ${exampleFor(nameOf(node), typed.type)}.`,
        node.start,
      );
    }
    return typed.cel;
  };

  const expression = (node: Node, role: Role): Typed => {
    switch (node.kind) {
      case 'literal':
        return literal(node);
      case 'list': {
        const bad = node.items.find((item) => typeof item.value !== 'string');
        if (bad)
          throw new ConditionError(
            'policy.type-error',
            `Lists hold text only: put ${JSON.stringify(String(bad.value))} in double quotes.`,
            bad.start,
          );
        return {
          type: 'list',
          cel: `[${node.items.map((i) => JSON.stringify(i.value)).join(', ')}]`,
          node,
          dynamic: false,
          connectorIds: false,
        };
      }
      case 'name':
        return name(node, role);
      case 'not':
        return { type: 'bool', cel: `!(${condition(node.operand, 'not')})`, node, dynamic: true, connectorIds: false };
      case 'and':
      case 'or': {
        const left = condition(node.left, node.kind);
        const right = condition(node.right, 'joined');
        return { type: 'bool', cel: `(${left} ${node.kind === 'and' ? '&&' : '||'} ${right})`, node, dynamic: true, connectorIds: false };
      }
      case 'compare':
        return compare(node);
      case 'include':
        return include(node);
    }
  };

  const literal = (node: LiteralNode): Typed => {
    const type: SurfaceType = typeof node.value === 'string' ? 'string' : typeof node.value === 'number' ? 'int' : 'bool';
    return {
      type,
      cel: typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value),
      node,
      dynamic: false,
      connectorIds: false,
    };
  };

  const name = (node: Extract<Node, { kind: 'name' }>, role: Role): Typed => {
    const read = (n: string): void => {
      if (!reads.includes(n)) reads.push(n);
    };
    const spec = VARIABLES_BY_NAME.get(node.name);
    if (spec) {
      read(spec.name);
      return { type: spec.type, cel: spec.name, node, dynamic: true, connectorIds: spec.connectorIds === true };
    }
    if (node.name === PREAPPROVED_LIST) {
      read(node.name);
      return { type: 'list', cel: node.name, node, dynamic: true, connectorIds: true };
    }
    if (scope.lists.has(node.name)) {
      read(node.name);
      return { type: 'list', cel: node.name, node, dynamic: false, connectorIds: false };
    }
    const group = GROUPS.get(node.name);
    if (group) {
      throw new ConditionError(
        'policy.unknown-variable',
        `"${node.name}" is a group of fields, not a value: use ${orList(group)}.`,
        node.start,
      );
    }
    if (CEL_ONLY_VARIABLES.has(node.name)) {
      throw new ConditionError('policy.unknown-variable', `"${node.name}" can only be tested in a "when:" CEL expression.`, node.start);
    }
    if (role === 'list') {
      const lists = [PREAPPROVED_LIST, ...scope.lists.keys()];
      throw new ConditionError(
        'policy.unknown-list',
        `There is no list called "${node.name}".${didYouMean(node.name, lists)} Lists are defined under "lists:" at the top of the policy; "${PREAPPROVED_LIST}" is built in.`,
        node.start,
      );
    }
    const quoteHint =
      role === 'value' && closestName(node.name, allNames) === undefined
        ? ` If you meant the text ${node.name}, put it in double quotes: "${node.name}".`
        : '';
    throw new ConditionError(
      'policy.unknown-variable',
      `There is no variable called "${node.name}".${didYouMean(node.name, allNames)}${quoteHint}`,
      node.start,
    );
  };

  const compare = (node: Extract<Node, { kind: 'compare' }>): Typed => {
    const listRole: Role = node.op === 'in' || node.op === 'not in' || node.op === 'subset_of' ? 'list' : 'value';
    const left = expression(node.left, 'value');
    const right = expression(node.right, listRole);
    const result = (cel: string): Typed => ({ type: 'bool', cel, node, dynamic: true, connectorIds: false });
    if (!left.dynamic && !right.dynamic) {
      throw new ConditionError(
        'policy.bare-literal',
        'This condition compares fixed values only, so it is always true or always false. Compare a variable of the app instead.',
        node.start,
      );
    }
    checkConnectorIds(left, right);
    checkConnectorIds(right, left);
    checkDataClasses(left, right);
    checkDataClasses(right, left);
    switch (node.op) {
      case '==':
      case '!=': {
        expectSameType(left, right, node.op);
        const equal =
          left.type === 'list'
            ? `(all_in(${left.cel}, ${right.cel}) && all_in(${right.cel}, ${left.cel}))`
            : `(${left.cel} == ${right.cel})`;
        return result(node.op === '==' ? equal : `!${equal}`);
      }
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (left.type !== 'int' && left.type !== 'string') throw typeError(left, `"${node.op}" compares numbers or text`);
        expectSameType(left, right, node.op);
        return result(`(${left.cel} ${node.op} ${right.cel})`);
      case 'in':
      case 'not in': {
        if (right.type !== 'list')
          throw typeError(
            right,
            `the right side of "${node.op}" must be a list (to compare with one value, use ${node.op === 'in' ? '==' : '!='})`,
          );
        if (left.type === 'list') return result(`${node.op === 'in' ? 'all_in' : 'none_in'}(${left.cel}, ${right.cel})`);
        if (left.type !== 'string') throw typeError(left, `lists hold text, so the left side of "${node.op}" must be text or a list`);
        return result(node.op === 'in' ? `(${left.cel} in ${right.cel})` : `!(${left.cel} in ${right.cel})`);
      }
      case 'subset_of':
        if (left.type !== 'list') throw typeError(left, '"subset_of" compares two lists');
        if (right.type !== 'list') throw typeError(right, '"subset_of" compares two lists');
        return result(`all_in(${left.cel}, ${right.cel})`);
      case 'matches':
        if (left.type !== 'string') throw typeError(left, '"matches" tests text against a pattern such as "hr_*"');
        if (right.type !== 'string') throw typeError(right, '"matches" needs a pattern in double quotes, such as "hr_*"');
        if (right.node.kind === 'literal' && String(right.node.value).length > 200) {
          throw new ConditionError('policy.type-error', 'This pattern is too long (at most 200 characters).', right.node.start);
        }
        return result(`glob(${left.cel}, ${right.cel})`);
    }
  };

  const include = (node: Extract<Node, { kind: 'include' }>): Typed => {
    const left = expression(node.left, 'value');
    if (left.type !== 'list') {
      throw typeError(left, '"include" looks inside a list (for text, use matches "*word*")');
    }
    const tests = node.values.map((valueNode) => {
      const value = expression(valueNode, 'value');
      if (value.type === 'list') {
        throw new ConditionError(
          'policy.type-error',
          '"include" takes one value, or values joined by "or" or "and" (include "a" or "b"), not a list. To compare two lists use "subset_of" or "in".',
          valueNode.start,
        );
      }
      if (value.type !== 'string') throw typeError(value, 'lists hold text, so put the value in double quotes');
      checkConnectorIds(left, value);
      checkDataClasses(left, value);
      return `${value.cel} in ${left.cel}`;
    });
    if (!left.dynamic && !node.values.some((v) => v.kind === 'name')) {
      throw new ConditionError(
        'policy.bare-literal',
        'This condition looks at fixed values only, so it is always true or always false. Test a variable of the app instead.',
        node.start,
      );
    }
    const cel = tests.length === 1 ? `(${tests[0]})` : `(${tests.join(node.mode === 'any' ? ' || ' : ' && ')})`;
    return { type: 'bool', cel, node, dynamic: true, connectorIds: false };
  };

  /** Literal connector ids (in the condition or in a list) must exist in the catalog. */
  const checkConnectorIds = (ids: Typed, other: Typed): void => {
    if (!ids.connectorIds || scope.knownConnectorIds.length === 0) return;
    const unknown = (id: string): string =>
      `No connector "${id}" exists in the connector catalog, so this never matches it.${didYouMean(id, scope.knownConnectorIds)}`;
    const node = other.node;
    if (node.kind === 'literal' && typeof node.value === 'string' && !scope.knownConnectorIds.includes(node.value)) {
      warnings.push({ code: 'policy.unknown-connector', message: unknown(node.value), offset: node.start });
    }
    if (node.kind === 'list') {
      for (const item of node.items) {
        if (typeof item.value === 'string' && !scope.knownConnectorIds.includes(item.value)) {
          warnings.push({ code: 'policy.unknown-connector', message: unknown(item.value), offset: item.start });
        }
      }
    }
    if (node.kind === 'name' && scope.lists.has(node.name)) {
      scope.lists.get(node.name)!.forEach((id, index) => {
        if (!scope.knownConnectorIds.includes(id)) {
          warnings.push({
            code: 'policy.unknown-connector',
            message: unknown(id),
            offset: node.start,
            listItem: { list: node.name, index },
          });
        }
      });
    }
  };

  /** A literal kind of data that is not in the vocabulary is an error: the rule would silently never match. */
  const checkDataClasses = (variable: Typed, other: Typed): void => {
    const classes = scope.dataClasses;
    if (!classes || variable.node.kind !== 'name' || !DATA_CLASS_VARIABLES.has(variable.node.name)) return;
    const node = other.node;
    const unknown = (value: string, where: string): string =>
      `"${value}"${where} is not a kind of data listed under "data_classes", so this test would never match it.${didYouMean(value, classes.keys())} Known kinds: ${[...classes.keys()].join(', ')}.`;
    const items = node.kind === 'literal' ? [node] : node.kind === 'list' ? node.items : [];
    for (const item of items) {
      if (typeof item.value === 'string' && !classes.has(item.value))
        throw new ConditionError('policy.unknown-data-class', unknown(item.value, ''), item.start);
    }
    // A list of the policy compared with data types: each of its entries must be a kind of data too.
    const bad = node.kind === 'name' ? scope.lists.get(node.name)?.find((v) => !classes.has(v)) : undefined;
    if (bad !== undefined && node.kind === 'name')
      throw new ConditionError('policy.unknown-data-class', unknown(bad, ` (in the list "${node.name}")`), node.start);
  };

  const cel = condition(root, 'root');
  return { cel, reads, warnings };
}

function expectSameType(left: Typed, right: Typed, op: string): void {
  if (left.type === right.type) return;
  const fix =
    left.type === 'int' && right.type === 'string'
      ? ' Write the number without quotes.'
      : left.type === 'string' && right.type === 'int'
        ? ' Put the value in double quotes.'
        : left.type === 'list' && right.type === 'string' && op === '=='
          ? ` To test whether the list holds a value, write ${nameOf(left.node)} include ${describe(right.node)}.`
          : '';
  throw new ConditionError(
    'policy.type-error',
    `"${op}" needs two values of the same kind, but "${nameOf(left.node)}" is ${TYPE_WORDS[left.type]} and ${describe(right.node)} is ${TYPE_WORDS[right.type]}.${fix}`,
    right.node.start,
  );
}

function typeError(operand: Typed, rule: string): ConditionError {
  return new ConditionError(
    'policy.type-error',
    `${capitalise(rule)}, but ${describe(operand.node)} is ${TYPE_WORDS[operand.type]}.`,
    operand.node.start,
  );
}

function describe(node: Node): string {
  if (node.kind === 'literal') return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
  if (node.kind === 'list') return 'a list of values';
  if (node.kind === 'name') return `"${node.name}"`;
  return 'this test';
}

function nameOf(node: Node): string {
  return node.kind === 'name' ? node.name : describe(node).replace(/^"|"$/g, '');
}

function exampleFor(name: string, type: SurfaceType): string {
  if (type === 'int') return `${name} > 30`;
  if (type === 'list') return `${name} include "value"`;
  return `${name} == "value"`;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
