/**
 * A small, strict checker for the audit files' JSON objects. Each check returns what is wrong
 * in plain words, or undefined. Unknown fields are errors; a field whose value is `undefined`
 * counts as absent (JSON has no undefined, and canonical JSON leaves such fields out).
 * Faster than a JSON Schema validator per line, which matters for 100,000-line logs, and the
 * messages name the field as the log's reader knows it ("pull_request.number").
 */

export type Check = (value: unknown, field: string) => string | undefined;

/** The fields of an object: checks by name, compiled once (lists and a set, not per-call Object.entries). */
export interface Shape {
  readonly required: ReadonlyArray<readonly [string, Check]>;
  readonly optional: ReadonlyArray<readonly [string, Check]>;
  readonly known: ReadonlySet<string>;
}

export function shape(required: Readonly<Record<string, Check>>, optional: Readonly<Record<string, Check>> = {}): Shape {
  return {
    required: Object.entries(required),
    optional: Object.entries(optional),
    known: new Set([...Object.keys(required), ...Object.keys(optional)]),
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001f\u007f]/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first problem of `value` against `shape`; `prefix` names the enclosing field ("pull_request."). */
export function checkShape(value: unknown, fields: Shape, prefix = ''): string | undefined {
  if (!isPlainObject(value)) return prefix ? `field "${prefix.slice(0, -1)}" must be an object` : 'it is not a JSON object';
  for (const key in value) {
    if (Object.hasOwn(value, key) && !fields.known.has(key)) return `unknown field "${prefix}${key}"`;
  }
  // Own properties only: "__proto__" and its kin are unknown fields above, never inherited values here.
  for (const [key, check] of fields.required) {
    const field = Object.hasOwn(value, key) ? value[key] : undefined;
    if (field === undefined) return `missing field "${prefix}${key}"`;
    const problem = check(field, `${prefix}${key}`);
    if (problem) return problem;
  }
  for (const [key, check] of fields.optional) {
    const field = Object.hasOwn(value, key) ? value[key] : undefined;
    if (field === undefined) continue;
    const problem = check(field, `${prefix}${key}`);
    if (problem) return problem;
  }
  return undefined;
}

export const object =
  (shape: Shape): Check =>
  (value, field) =>
    checkShape(value, shape, `${field}.`);

export const constant =
  (expected: string | number): Check =>
  (value, field) =>
    value === expected ? undefined : `field "${field}" must be ${JSON.stringify(expected)}, not ${show(value)}`;

export const oneOf =
  (allowed: readonly string[]): Check =>
  (value, field) =>
    typeof value === 'string' && allowed.includes(value)
      ? undefined
      : `field "${field}" must be one of ${allowed.join(', ')}, not ${show(value)}`;

/** A string of one line (no control characters), not empty. */
export const text: Check = (value, field) => {
  if (typeof value !== 'string' || value === '') return `field "${field}" must be a non-empty string, not ${show(value)}`;
  if (CONTROL.test(value)) return `field "${field}" must not contain control characters (line breaks, tabs)`;
  return wellFormed(value, field);
};

/** Any string, several lines allowed (free text such as an error message). */
export const anyText: Check = (value, field) =>
  typeof value === 'string' ? wellFormed(value, field) : `field "${field}" must be a string, not ${show(value)}`;

export const matching =
  (pattern: RegExp, what: string): Check =>
  (value, field) =>
    typeof value === 'string' && pattern.test(value) ? undefined : `field "${field}" must be ${what}, not ${show(value)}`;

export const satisfying =
  (test: (value: unknown) => boolean, what: string): Check =>
  (value, field) =>
    test(value) ? undefined : `field "${field}" must be ${what}, not ${show(value)}`;

export const positiveInteger: Check = (value, field) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1
    ? undefined
    : `field "${field}" must be a positive whole number, not ${show(value)}`;

/** Every check in turn; the first problem. */
export const allOf =
  (...checks: Check[]): Check =>
  (value, field) => {
    for (const check of checks) {
      const problem = check(value, field);
      if (problem) return problem;
    }
    return undefined;
  };

export const nullable =
  (check: Check): Check =>
  (value, field) =>
    value === null ? undefined : check(value, field);

export const arrayOf =
  (check: Check): Check =>
  (value, field) => {
    if (!Array.isArray(value)) return `field "${field}" must be a list, not ${show(value)}`;
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], `${field}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

function wellFormed(value: string, field: string): string | undefined {
  return LONE_SURROGATE.test(value) ? `field "${field}" holds text that is not valid Unicode (a lone surrogate)` : undefined;
}

/** A short rendering of a found value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
