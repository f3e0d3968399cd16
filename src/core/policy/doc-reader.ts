/**
 * Small helpers to read a parsed document field by field, failing closed: every field must be
 * known and of the expected shape, and each problem becomes a finding at the exact key or value.
 * Shared by the policy loader and the policy-test runner.
 */
import { error, warning, type Finding } from '../findings.js';
import type { ParsedDocument, Pointer } from '../parse/document.js';
import { didYouMean } from '../did-you-mean.js';

export type Fields = Record<string, unknown>;

export class DocReader {
  readonly findings: Finding[] = [];

  constructor(
    readonly doc: ParsedDocument,
    /** Prefix of finding codes, e.g. "policy" or "policy-test". */
    private readonly area: string,
  ) {}

  error(code: string, pointer: Pointer, message: string, at: 'key' | 'value' = 'value'): undefined {
    const position = at === 'key' ? this.doc.keyAt(pointer) : this.doc.valueAt(pointer);
    this.findings.push(error(`${this.area}.${code}`, this.doc.path, position, message));
    return undefined;
  }

  warning(code: string, pointer: Pointer, message: string): void {
    this.findings.push(warning(`${this.area}.${code}`, this.doc.path, this.doc.valueAt(pointer), message));
  }

  /** A mapping with only the allowed keys and all the required ones. */
  object(pointer: Pointer, value: unknown, what: string, allowed: readonly string[], required: readonly string[] = []): Fields | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.error('invalid-shape', pointer, `${what} must be a set of "field: value" lines.`);
    }
    const fields = value as Fields;
    let ok = true;
    for (const key of Object.keys(fields)) {
      if (!allowed.includes(key)) {
        ok = false;
        this.error(
          'unknown-field',
          [...pointer, key],
          `"${key}" is not a field of ${what}.${didYouMean(key, allowed)} Allowed fields: ${allowed.join(', ')}.`,
          'key',
        );
      }
    }
    for (const key of required) {
      if (!(key in fields)) {
        ok = false;
        this.error('missing-field', pointer, `${what} needs a "${key}" field.`);
      }
    }
    return ok ? fields : undefined;
  }

  /** A text value. */
  text(pointer: Pointer, value: unknown, what: string): string | undefined {
    if (typeof value === 'string' && value.trim() !== '') return value;
    return this.error('invalid-shape', pointer, `${what} must be text.`);
  }

  /**
   * A scalar kept exactly as written: YAML reads `001` as the number 1 and `yes` as text, but an
   * id or a list entry means the characters the author typed.
   */
  scalarText(pointer: Pointer, value: unknown, what: string): string | undefined {
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return this.doc.scalarSource(pointer) ?? String(value);
    return this.error('invalid-shape', pointer, `${what} must be a single value, such as text or a number.`);
  }

  /** A list of scalars, each kept as written. */
  textList(pointer: Pointer, value: unknown, what: string): string[] | undefined {
    if (!Array.isArray(value)) return this.error('invalid-shape', pointer, `${what} must be a list, for example [a, b].`);
    const out: string[] = [];
    let ok = true;
    value.forEach((item, i) => {
      const text = this.scalarText([...pointer, i], item, `Each entry of ${what}`);
      if (text === undefined) ok = false;
      else out.push(text);
    });
    return ok ? out : undefined;
  }

  oneOf<T extends string>(pointer: Pointer, value: unknown, what: string, options: readonly T[]): T | undefined {
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
    const written = typeof value === 'string' ? `"${value}"` : 'this value';
    const guess = typeof value === 'string' ? didYouMean(value, options) : '';
    return this.error('invalid-value', pointer, `${what} must be one of ${options.join(', ')}; ${written} is not.${guess}`);
  }
}
