/**
 * Loads policies/approval.yaml into a CompiledPolicy. Format:
 *
 *   version: 1                          # optional; only 1 exists
 *   default_action: manager_approval    # optional; the action when no rule matches (default manager_approval)
 *   lists:                              # optional; named lists of text, usable in conditions
 *     minimal_scopes: [openid, profile, email]
 *   approvers:                          # optional; who gives each approval
 *     manager_approval: { owner_managers: true }          # the owner's managers from the directory
 *     security_team_review: { teams: [acme/security], users: [alice] }
 *     governance: { teams: [acme/platform] }
 *   data_classes:                       # optional; the kinds of data apps and connectors may name
 *     pii: Personal data about a person  # (default: DEFAULT_DATA_CLASSES in data-classes.ts)
 *   governance_paths: [action/, src/, package.json]   # optional; the gate's own code (see below)
 *   policy:                             # required; the rules, all evaluated
 *     - id: 001                         # kept as written: "001"
 *       name: auto_approve_sandbox
 *       conditions: [ 'environment == "sandbox"' ]   # all must hold; or instead:
 *       when: 'environment == "sandbox" && size(connectors) == 0'   # raw CEL
 *       action: auto_approve            # auto_approve | manager_approval | security_team_review | deny
 *       message: why, in plain words    # optional, shown to the developer
 *       remedy: what to change          # optional
 *       description: for policy authors # optional
 *
 * An approver kind not written gets the built-in default (manager_approval: the owner's managers;
 * the others: nobody, reported when such an approval is needed). A kind that is written means
 * exactly what it says (owner_managers defaults to false there).
 *
 * `governance_paths` lists the files ("package.json") and folders ("action/", ending in "/")
 * that make up the check itself: a change to them needs the governance approvers, like a change
 * to policies/. Only the base branch's copy counts. Left out, it is DEFAULT_GOVERNANCE_PATHS.
 *
 * Fails closed: any error finding means no policy is returned.
 */
import { hasErrors, warning, type Finding } from '../findings.js';
import { ACTIONS_BY_STRICTNESS, type Action } from '../model.js';
import { DEFAULT_GOVERNANCE_PATHS, governancePathProblem } from '../tree.js';
import type { ParsedDocument, Pointer } from '../parse/document.js';
import { createEnvironment } from './cel-env.js';
import { compileCondition } from './compile-condition.js';
import { readDataClasses, type DataClasses } from './data-classes.js';
import { DocReader, type Fields } from './doc-reader.js';
import { offsetMapper, type OffsetMapper } from './positions.js';
import { KEYWORDS } from './surface/tokenize.js';
import type { Scope } from './surface/compile.js';
import type { ApproverSpec, CompiledCondition, CompiledPolicy, CompiledRule, LoadPolicyContext } from './types.js';
import { CEL_ONLY_VARIABLES, GROUPS, PREAPPROVED_LIST, VARIABLES_BY_NAME } from './variables.js';

// `$schema` lets editors find the JSON schema; it has no meaning here.
const TOP_FIELDS = ['$schema', 'version', 'default_action', 'lists', 'approvers', 'data_classes', 'governance_paths', 'policy'];
const RULE_FIELDS = ['id', 'name', 'conditions', 'when', 'action', 'message', 'remedy', 'description'];
const APPROVER_KINDS = ['manager_approval', 'security_team_review', 'governance'] as const;
const APPROVER_FIELDS = ['owner_managers', 'teams', 'users'];
const CEL_RESERVED = [
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
  'null',
  'in',
  'true',
  'false',
];

const LIST_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const LOGIN = /^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TEAM = /^@?[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const DEFAULT_ACTION: Action = 'manager_approval';

export function loadPolicy(doc: ParsedDocument, ctx: LoadPolicyContext): { policy?: CompiledPolicy; findings: Finding[] } {
  const reader = new DocReader(doc, 'policy');
  const top = reader.object([], doc.value, 'The approval policy', TOP_FIELDS, ['policy']);
  if (!top) return { findings: reader.findings };

  if ('version' in top && top.version !== 1)
    reader.error('invalid-value', ['version'], 'The only policy format version is 1. Write "version: 1" or leave it out.');
  const defaultAction =
    'default_action' in top
      ? reader.oneOf(['default_action'], top.default_action, 'default_action', ACTIONS_BY_STRICTNESS)
      : DEFAULT_ACTION;
  const lists = readLists(reader, top.lists);
  const approvers = readApprovers(reader, top.approvers);
  const dataClasses = readDataClasses(reader, top.data_classes);
  const rules = readRules(reader, top.policy, lists, ctx, dataClasses);
  const governancePaths = 'governance_paths' in top ? readGovernancePaths(reader, top.governance_paths) : DEFAULT_GOVERNANCE_PATHS;

  const findings = reader.findings;
  if (hasErrors(findings) || !defaultAction || !approvers || !dataClasses || !rules || !governancePaths) return { findings };
  return {
    policy: {
      path: doc.path,
      default_action: defaultAction,
      default_action_written: 'default_action' in top,
      lists,
      approvers,
      data_classes: dataClasses,
      rules,
      governance_paths: governancePaths,
    },
    findings,
  };
}

/** The valid lists; each broken one is an error finding (so the policy will not load). */
function readLists(reader: DocReader, value: unknown): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  if (value === undefined) return lists;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    reader.error(
      'invalid-shape',
      ['lists'],
      '"lists" must map each list name to a list of values, for example "minimal_scopes: [openid, email]".',
    );
    return lists;
  }
  for (const [name, items] of Object.entries(value as Fields)) {
    const problem = listNameProblem(name);
    if (problem) {
      reader.error('invalid-list-name', ['lists', name], problem, 'key');
      continue;
    }
    const texts = reader.textList(['lists', name], items, `the list "${name}"`);
    if (texts) lists.set(name, texts);
  }
  return lists;
}

function listNameProblem(name: string): string | undefined {
  if (!LIST_NAME.test(name)) return `"${name}" cannot be a list name: use lower-case letters, digits and "_", starting with a letter.`;
  if (KEYWORDS.has(name) || CEL_RESERVED.includes(name))
    return `"${name}" is a word of the condition language and cannot be a list name. Choose another name.`;
  if (VARIABLES_BY_NAME.has(name) || GROUPS.has(name) || CEL_ONLY_VARIABLES.has(name) || name === PREAPPROVED_LIST) {
    return `"${name}" is already the name of a built-in variable or list. Choose another name.`;
  }
  return undefined;
}

/** Plain relative paths: a file, or a folder ending in "/"; no patterns, nothing outside the registry. */
function readGovernancePaths(reader: DocReader, value: unknown): string[] | undefined {
  const paths = reader.textList(['governance_paths'], value, '"governance_paths"');
  if (!paths) return undefined;
  let ok = true;
  paths.forEach((path, i) => {
    const problem = governancePathProblem(path);
    if (problem) {
      ok = false;
      reader.error('invalid-governance-path', ['governance_paths', i], problem);
    }
  });
  return ok ? paths : undefined;
}

function readApprovers(reader: DocReader, value: unknown): CompiledPolicy['approvers'] | undefined {
  const none = (): ApproverSpec => ({ owner_managers: false, teams: [], users: [] });
  const result = { manager_approval: { ...none(), owner_managers: true }, security_team_review: none(), governance: none() };
  if (value === undefined) return result;
  const fields = reader.object(['approvers'], value, '"approvers"', APPROVER_KINDS);
  if (!fields) return undefined;
  let ok = true;
  for (const kind of APPROVER_KINDS) {
    if (!(kind in fields)) continue;
    const at: Pointer = ['approvers', kind];
    const spec = reader.object(at, fields[kind], `the approvers of ${kind}`, APPROVER_FIELDS);
    if (!spec) {
      ok = false;
      continue;
    }
    const errorsBefore = reader.findings.length;
    const out = none();
    if ('owner_managers' in spec) {
      if (typeof spec.owner_managers === 'boolean') out.owner_managers = spec.owner_managers;
      else reader.error('invalid-value', [...at, 'owner_managers'], '"owner_managers" must be true or false.');
    }
    const teams = 'teams' in spec ? reader.textList([...at, 'teams'], spec.teams, '"teams"') : [];
    const users = 'users' in spec ? reader.textList([...at, 'users'], spec.users, '"users"') : [];
    teams?.forEach((team, i) => {
      if (!TEAM.test(team))
        reader.error(
          'invalid-approver',
          [...at, 'teams', i],
          `"${team}" is not a GitHub team: write it as organisation/team-slug, e.g. acme/security.`,
        );
    });
    users?.forEach((user, i) => {
      if (!LOGIN.test(user)) reader.error('invalid-approver', [...at, 'users', i], `"${user}" is not a GitHub login.`);
    });
    if (reader.findings.length > errorsBefore || !teams || !users) {
      ok = false;
      continue;
    }
    // Stored without "@"; reviewers get it back when they are resolved.
    out.teams = teams.map((t) => t.replace(/^@/, ''));
    out.users = users.map((u) => u.replace(/^@/, ''));
    result[kind] = out;
  }
  return ok ? result : undefined;
}

function readRules(
  reader: DocReader,
  value: unknown,
  lists: Map<string, string[]>,
  ctx: LoadPolicyContext,
  dataClasses: DataClasses | undefined,
): CompiledRule[] | undefined {
  if (!Array.isArray(value))
    return reader.error('invalid-shape', ['policy'], '"policy" must be a list of rules, each starting with "- id:".');
  const scope: Scope = { lists, knownConnectorIds: ctx.knownConnectorIds, ...(dataClasses ? { dataClasses } : {}) };
  const env = createEnvironment(scope.lists.keys());
  const toPosition = offsetMapper(ctx.source);
  const seen = new Map<string, number>();
  const rules: CompiledRule[] = [];
  let ok = true;
  value.forEach((raw, index) => {
    const { id, rule } = readRule(reader, ['policy', index], raw, env, scope, toPosition);
    if (rule) rules.push(rule);
    else ok = false;
    // Checked even for a broken rule: a duplicate is worth knowing about in the same pass.
    if (id === undefined) return;
    const first = seen.get(id);
    if (first !== undefined) {
      ok = false;
      reader.error(
        'duplicate-rule-id',
        ['policy', index, 'id'],
        `Rule id "${id}" is already used by rule number ${first + 1}. Each rule needs its own id.`,
      );
    } else seen.set(id, index);
  });
  return ok ? rules : undefined;
}

function readRule(
  reader: DocReader,
  at: Pointer,
  raw: unknown,
  env: ReturnType<typeof createEnvironment>,
  scope: Scope,
  toPosition: OffsetMapper,
): { id?: string; rule?: CompiledRule } {
  const fields = reader.object(at, raw, 'A rule', RULE_FIELDS, ['id', 'name', 'action']);
  if (!fields) return {};
  const id = reader.scalarText([...at, 'id'], fields.id, 'The rule id');
  if (id !== undefined && !RULE_ID.test(id))
    reader.error('invalid-value', [...at, 'id'], `"${id}" cannot be a rule id: use letters, digits, ".", "_" or "-".`);
  const name = reader.text([...at, 'name'], fields.name, 'The rule name');
  const action = reader.oneOf([...at, 'action'], fields.action, 'The action', ACTIONS_BY_STRICTNESS);
  const optional = (key: string): string | undefined => (key in fields ? reader.text([...at, key], fields[key], `"${key}"`) : undefined);
  const message = optional('message');
  const remedy = optional('remedy');
  const description = optional('description');

  let conditions: CompiledCondition[] | undefined;
  if ('conditions' in fields === 'when' in fields) {
    reader.error(
      'invalid-shape',
      at,
      'A rule needs either "conditions" (a list of tests that must all hold) or "when" (one CEL expression), not both and not neither.',
    );
  } else if ('when' in fields) {
    const text = isBareScalar(fields.when)
      ? bareLiteral(reader, [...at, 'when'], fields.when)
      : reader.text([...at, 'when'], fields.when, '"when"');
    const compiled = text === undefined ? undefined : compileOne(reader, [...at, 'when'], text, 'cel', env, scope, toPosition);
    conditions = compiled && [compiled];
  } else if (!Array.isArray(fields.conditions) || fields.conditions.length === 0) {
    reader.error(
      'invalid-shape',
      [...at, 'conditions'],
      '"conditions" must be a list with at least one test, for example - environment == "sandbox".',
    );
  } else {
    const compiled = fields.conditions.map((c: unknown, i: number) => {
      const pointer = [...at, 'conditions', i];
      if (typeof c === 'string') return compileOne(reader, pointer, c, 'surface', env, scope, toPosition);
      if (isBareScalar(c)) return bareLiteral(reader, pointer, c);
      return reader.error('invalid-shape', pointer, 'Each condition must be one line of text, such as environment == "sandbox".');
    });
    if (compiled.every((c): c is CompiledCondition => c !== undefined)) conditions = compiled;
  }
  if (id === undefined || !RULE_ID.test(id)) return {};
  if (!name || !action || !conditions) return { id };
  const rule: CompiledRule = { id, name, action, position: reader.doc.valueAt([...at, 'id']), conditions };
  if (message !== undefined) rule.message = message;
  if (remedy !== undefined) rule.remedy = remedy;
  if (description !== undefined) rule.description = description;
  return { id, rule };
}

/** YAML turned `true`, `1` or an empty entry into a non-text value: a literal, never a condition. */
function isBareScalar(value: unknown): boolean {
  return typeof value === 'boolean' || typeof value === 'number' || value === null;
}

function bareLiteral(reader: DocReader, pointer: Pointer, value: unknown): undefined {
  const written = reader.doc.scalarSource(pointer) ?? String(value);
  return reader.error(
    'bare-literal',
    pointer,
    `${written} on its own is not a condition: it never looks at the app. Write a test such as environment == "sandbox".`,
  );
}

function compileOne(
  reader: DocReader,
  pointer: Pointer,
  text: string,
  kind: 'surface' | 'cel',
  env: ReturnType<typeof createEnvironment>,
  scope: Scope,
  toPosition: OffsetMapper,
): CompiledCondition | undefined {
  const start = reader.doc.valueAt(pointer);
  const result = compileCondition(text, kind, env, scope);
  if (!result.ok) {
    const position = toPosition(start, text, result.problem.offset);
    reader.findings.push({
      severity: 'error',
      code: result.problem.code,
      path: reader.doc.path,
      line: position.line,
      column: position.column,
      message: result.problem.message,
    });
    return undefined;
  }
  for (const w of result.warnings) {
    const position = w.listItem ? reader.doc.valueAt(['lists', w.listItem.list, w.listItem.index]) : toPosition(start, text, w.offset);
    const finding = warning(w.code, reader.doc.path, position, w.message);
    if (!reader.findings.some((f) => f.code === finding.code && f.line === finding.line && f.column === finding.column))
      reader.findings.push(finding);
  }
  return { text, kind, position: start, cel: result.cel, reads: result.reads, test: result.test };
}
