/**
 * Checks a parsed document against its JSON Schema (precompiled from schemas/) and turns
 * the validator's errors into findings a citizen developer can act on: the exact line and
 * column, the field's name, and a "did you mean" for a misspelt field.
 */
import { didYouMean } from '../did-you-mean.js';
import { deferredTo, type DeferredFinding } from './deferred.js';
import { error, type Finding } from '../findings.js';
import type { ParsedDocument, Pointer } from '../parse/document.js';
import {
  validateApp,
  validateAppConfig,
  validateConnector,
  validateOwners,
  validatePolicy,
  validatePolicyTest,
  validateProvisioners,
  type SchemaError,
  type Validator,
} from './generated/validators.js';

export type SchemaKind = 'app' | 'connector' | 'policy' | 'owners' | 'policy-test' | 'app-config' | 'provisioners';

const VALIDATORS: Record<SchemaKind, Validator> = {
  app: validateApp,
  connector: validateConnector,
  policy: validatePolicy,
  owners: validateOwners,
  'policy-test': validatePolicyTest,
  'app-config': validateAppConfig,
  provisioners: validateProvisioners,
};

const KIND_NAMES: Record<SchemaKind, string> = {
  app: 'an app manifest',
  connector: 'a connector manifest',
  policy: 'the approval policy',
  owners: 'the owner directory',
  'policy-test': 'a policy test',
  'app-config': 'the App configuration',
  provisioners: 'the provisioners configuration',
};

/** Plain-words explanations of the patterns in schemas/, by field name. */
const PATTERN_HINTS: Record<string, string> = {
  name: 'lower-case words joined by hyphens, like "expense-approver" (3 to 63 characters)',
  owner: 'a team mailbox such as "finance-team@example.com"',
  connector_id: 'lower-case words joined by underscores, like "hr_api_read"',
  id: 'lower-case words joined by underscores, like "hr_api_read"',
  rate_limit: 'a number of requests per second, minute, hour or day, like "1000/hour"',
  url: 'an https:// address',
  team: 'a GitHub team written as "organisation/team-slug"',
  teams: 'a GitHub team written as "organisation/team-slug"',
  managers: 'a GitHub login',
  users: 'a GitHub login',
  data_types: 'lower-case words joined by underscores, like "financial_write"',
  data_classification: 'lower-case words joined by underscores, like "financial_write"',
  tags: 'lower-case words joined by hyphens',
  check_name: 'one line of text',
  auto_approve: 'one line of text without commas (a label name)',
  manager_approval: 'one line of text without commas (a label name)',
  security_team_review: 'one line of text without commas (a label name)',
  deny: 'one line of text without commas (a label name)',
  invalid: 'one line of text without commas (a label name)',
  output: 'a .yaml file under generated/, like "generated/gateway/kong.yaml"',
  upstream_url: 'an http:// or https:// address where {connector} stands for the connector, like "https://{connector}.connectors.internal"',
  secret_env: 'the name of an environment variable in capitals, like "MICROAPPS_WEBHOOK_SECRET"',
};

export interface SchemaResult {
  findings: Finding[];
  /** Problems a friendly rule of the kind words instead (deferred.ts): given only if it does not. */
  deferred: DeferredFinding[];
}

/** Validates `doc.value` against the schema of `kind`, at `base` inside the document. */
export function validateSchema(doc: ParsedDocument, kind: SchemaKind, base: Pointer = [], value: unknown = doc.value): SchemaResult {
  const validate = VALIDATORS[kind];
  if (validate(value)) return { findings: [], deferred: [] };
  // A bad key under propertyNames is reported once, by its propertyNames error, at the key.
  const errors = withoutMisspeltRequired(
    relevantErrors(validate.errors ?? []).filter((e) => e.keyword === 'propertyNames' || !('propertyName' in e)),
  );
  const seen = new Set<string>();
  const result: SchemaResult = { findings: [], deferred: [] };
  for (const e of errors) {
    const f = toFinding(doc, kind, base, e);
    const key = `${f.line}:${f.column}:${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rule = deferredTo(kind, e);
    if (rule) result.deferred.push({ rule, finding: f });
    else result.findings.push(f);
  }
  // The validator said no: never let the filtering above turn that into a silent yes.
  if (result.findings.length === 0 && result.deferred.length === 0) {
    result.findings.push(
      error('schema.invalid', doc.path, doc.valueAt([...base]), `${capitalise(KIND_NAMES[kind])} does not match its schema.`),
    );
  }
  return result;
}

/**
 * For `anyOf` (a connector written as an id or as { id, scopes }), the validator reports
 * why every alternative failed. Keep only the alternative that has the value's own type.
 */
function relevantErrors(errors: SchemaError[]): SchemaError[] {
  const anyOf = errors.filter((e) => e.keyword === 'anyOf');
  if (anyOf.length === 0) return errors;
  const anyOfAt = new Set(anyOf.map((e) => e.instancePath));
  const alternativeOnly = (o: SchemaError) =>
    o.keyword === 'anyOf' || ((o.keyword === 'type' || o.keyword === 'const') && anyOfAt.has(o.instancePath));
  // A nested "settings or false" counts as precise for the one around it.
  const precise = (summary: SchemaError) =>
    errors.some(
      (o) =>
        o.instancePath.startsWith(summary.instancePath) &&
        (!alternativeOnly(o) || (o.keyword === 'anyOf' && o.instancePath !== summary.instancePath)),
    );
  return errors.filter((e) => {
    // "must be text" next to "unknown field scope" only confuses: the value's own form speaks.
    // Likewise "must be false" from the `false` alternative of "settings, or false".
    if (e.keyword !== 'anyOf' && alternativeOnly(e)) return false;
    // Keep the summary only when no alternative says something more precise.
    if (e.keyword === 'anyOf') return !precise(e);
    return true;
  });
}

/**
 * A misspelt required field (`enviroment`) is one mistake: the unknown field's "did you mean"
 * names the missing one, so the "needs the field" error beside it is left out.
 */
function withoutMisspeltRequired(errors: SchemaError[]): SchemaError[] {
  const unknownAt = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    unknownAt.set(e.instancePath, [...(unknownAt.get(e.instancePath) ?? []), String(e.params.additionalProperty)]);
  }
  return errors.filter((e) => {
    if (e.keyword !== 'required') return true;
    const missing = String(e.params.missingProperty);
    const known = Object.keys((e.parentSchema?.properties as object | undefined) ?? {}).filter((k) => k !== '$schema');
    return !(unknownAt.get(e.instancePath) ?? []).some((u) => didYouMean(u, known) === ` Did you mean "${missing}"?`);
  });
}

function pointerOf(base: Pointer, instancePath: string): Array<string | number> {
  const steps: Array<string | number> = [...base];
  if (instancePath === '') return steps;
  for (const raw of instancePath.slice(1).split('/')) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    steps.push(/^\d+$/.test(step) ? Number(step) : step);
  }
  return steps;
}

function fieldName(pointer: ReadonlyArray<string | number>): string {
  const parts: string[] = [];
  for (const step of pointer) {
    if (typeof step === 'number') parts.push(`[${step + 1}]`);
    else parts.push(parts.length ? `.${step}` : step);
  }
  return parts.join('').replace(/^\[/, 'item [') || 'the file';
}

/** Fields where a mistake may be a pasted secret: their values are never repeated in a finding. */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['secret_env']);
const HIDDEN = Symbol('hidden');

function toFinding(doc: ParsedDocument, kind: SchemaKind, base: Pointer, raw: SchemaError): Finding {
  const pointer = pointerOf(base, raw.instancePath);
  const relative = pointerOf([], raw.instancePath);
  const field = relative.length ? `"${fieldName(relative)}"` : `The file`;
  const last = [...relative].reverse().find((s) => typeof s === 'string') as string | undefined;
  const e = last !== undefined && SECRET_FIELDS.has(last) ? { ...raw, data: HIDDEN } : raw;
  switch (e.keyword) {
    case 'additionalProperties': {
      const unknown = String(e.params.additionalProperty);
      const known = Object.keys((e.parentSchema?.properties as object | undefined) ?? {}).filter((k) => k !== '$schema');
      const where = relative.length ? `in ${field}` : `in ${KIND_NAMES[kind]}`;
      return error(
        'schema.unknown-field',
        doc.path,
        doc.keyAt([...pointer, unknown]),
        `"${unknown}" is not a known field ${where}.${didYouMean(unknown, known)} Unknown fields are refused so that a typo never weakens a check.`,
      );
    }
    case 'required': {
      const missing = String(e.params.missingProperty);
      const where = relative.length ? `${field}` : KIND_NAMES[kind];
      return error(
        'schema.missing-field',
        doc.path,
        doc.keyAt(pointer),
        `${capitalise(where)} needs the field "${missing}".${describe(e.parentSchema, missing)}`,
      );
    }
    case 'enum':
      return error(
        'schema.not-allowed',
        doc.path,
        doc.valueAt(pointer),
        `${field} is ${show(e.data)}, but must be one of: ${(e.params.allowedValues as unknown[]).map(String).join(', ')}.${didYouMean(String(e.data), (e.params.allowedValues as unknown[]).map(String))}`,
      );
    case 'const':
      return error('schema.not-allowed', doc.path, doc.valueAt(pointer), `${field} must be ${show(e.params.allowedValue)}.`);
    case 'type':
      return error('schema.type', doc.path, doc.valueAt(pointer), `${field} must be ${typeWords(e.params.type)}, not ${typeOf(e.data)}.`);
    case 'pattern': {
      const hint = PATTERN_HINTS[last ?? ''] ?? 'in the expected form';
      return error('schema.format', doc.path, doc.valueAt(pointer), `${field} is ${show(e.data)}, but must be ${hint}.`);
    }
    case 'uniqueItems':
      return error(
        'schema.duplicate-item',
        doc.path,
        doc.valueAt([...pointer, e.params.j as number]),
        `${field} lists the same value twice (items ${Number(e.params.j) + 1} and ${Number(e.params.i) + 1}). Keep one.`,
      );
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return error('schema.range', doc.path, doc.valueAt(pointer), `${field} is ${show(e.data)}, but ${e.message ?? 'is out of range'}.`);
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return error(
        'schema.size',
        doc.path,
        doc.valueAt(pointer),
        `${field} ${e.message?.replace(/^must/, 'must') ?? 'has the wrong size'}.`,
      );
    case 'propertyNames': {
      const name = String(e.params.propertyName);
      const hint =
        last === 'owners'
          ? 'an owner mailbox such as "finance-team@example.com"'
          : 'lower-case words joined by underscores, like "minimal_scopes"';
      return error('schema.format', doc.path, doc.keyAt([...pointer, name]), `The name "${name}" in ${field} must be ${hint}.`);
    }
    case 'anyOf': {
      const alternatives = (e.parentSchema?.anyOf as Array<Record<string, unknown>> | undefined) ?? [];
      if (alternatives.some((a) => a.const === false)) {
        const other = alternatives.find((a) => a.const !== false);
        const what = other?.type === 'object' ? 'a list of settings' : other?.type === 'string' ? 'text' : 'a setting';
        return error('schema.invalid', doc.path, doc.valueAt(pointer), `${field} must be ${what}, or false to switch it off.`);
      }
      return error('schema.invalid', doc.path, doc.valueAt(pointer), `${field} must be a connector id, or an object { id, scopes }.`);
    }
    default:
      return error('schema.invalid', doc.path, doc.valueAt(pointer), `${field} ${e.message ?? 'is not valid'}.`);
  }
}

function describe(parentSchema: { properties?: Record<string, { description?: unknown } | undefined> } | undefined, field: string): string {
  const d = parentSchema?.properties?.[field]?.description;
  return typeof d === 'string' ? ` (${d.replace(/\.$/, '')}.)` : '';
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function show(value: unknown): string {
  if (value === HIDDEN) return 'a value not repeated here (it could be a secret)';
  const s = JSON.stringify(value);
  return s === undefined ? 'empty' : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function typeOf(value: unknown): string {
  if (value === HIDDEN) return show(value);
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a set of fields';
  if (typeof value === 'string') return `the text ${show(value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the decimal ${value}`;
  return `${typeof value} ${show(value)}`;
}

function typeWords(type: unknown): string {
  const words: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a set of fields',
    null: 'empty',
  };
  const list = Array.isArray(type) ? type : [type];
  return list.map((t) => words[String(t)] ?? String(t)).join(' or ');
}
