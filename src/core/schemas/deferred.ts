/**
 * Schema problems left to a friendly rule of the same file kind. Every file is checked in one
 * order (see registry/load-file.ts): schema, then normalise, then the kind's friendly rules.
 * Where a rule checks the very same value in plainer words (the policy loader's
 * `policy.bare-literal` for a YAML `true` where a condition belongs, `policy.too-long` for an
 * over-long condition, "This condition is empty", "The only policy format version is 1"), the schema's error there is deferred: held back while the rule runs,
 * and dropped once the rule has reported that problem. It is given after all whenever the rule
 * does not get to run (another problem in the file stops it) or does not report it, so a file is
 * never let through, nor a problem left unsaid, because of this table.
 *
 * The published schemas stay complete (editors keep every check); only who words the problem
 * changes. An entry belongs here only when its rule refuses every value the keyword refuses,
 * and a kind gets entries only where its rules settle them (assemble.ts, for the policy).
 */
import type { Finding } from '../findings.js';
import type { SchemaError } from './generated/validators.js';
import type { SchemaKind } from './validate.js';

interface DeferredKeyword {
  /** The value's place (the validator's instancePath). */
  at: RegExp;
  keyword: string;
  /** Only for such values; every value when absent. */
  only?: (value: unknown) => boolean;
  /** The finding code of the rule that reports it. */
  rule: string;
}

/** A schema finding held back for `rule`. */
export interface DeferredFinding {
  rule: string;
  finding: Finding;
}

/** YAML turned `true`, `1` or an empty entry into a non-text value (load-policy.ts's bare literal). */
const bareScalar = (value: unknown): boolean => typeof value === 'boolean' || typeof value === 'number' || value === null;
const CONDITION = /^\/policy\/\d+\/(?:conditions\/\d+|when)$/;

const DEFERRED: Partial<Record<SchemaKind, readonly DeferredKeyword[]>> = {
  policy: [
    { at: CONDITION, keyword: 'type', only: bareScalar, rule: 'policy.bare-literal' },
    // The same limits as MAX_CONDITION_LENGTH (compile-condition.ts); a test keeps them equal.
    { at: CONDITION, keyword: 'maxLength', rule: 'policy.too-long' },
    { at: /^\/policy\/\d+\/conditions\/\d+$/, keyword: 'minLength', rule: 'policy.syntax' },
    { at: /^\/policy\/\d+\/conditions$/, keyword: 'minItems', rule: 'policy.invalid-shape' },
    { at: /^\/version$/, keyword: 'const', rule: 'policy.invalid-value' },
  ],
};

/** The rule that words `e` instead of the schema, if any. */
export function deferredTo(kind: SchemaKind, e: SchemaError): string | undefined {
  return DEFERRED[kind]?.find((d) => d.keyword === e.keyword && d.at.test(e.instancePath) && (!d.only || d.only(e.data)))?.rule;
}

/** The deferred findings that still stand once the rules have run: those whose rule reported no error. */
export function stillStanding(deferred: readonly DeferredFinding[], ruleFindings: readonly Finding[]): Finding[] {
  const reported = new Set(ruleFindings.filter((f) => f.severity === 'error').map((f) => f.code));
  return deferred.filter((d) => !reported.has(d.rule)).map((d) => d.finding);
}
