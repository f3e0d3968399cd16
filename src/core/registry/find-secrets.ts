/**
 * Manifests never hold secrets (SSO only, credentials live in the platform). Unknown fields
 * already refuse `api_key:` and the like; this catches a secret pasted into a value or used
 * as a key. The finding never repeats the secret, and redactSecrets() removes it from every
 * other message and report that would (a schema error quoting the value, a did-you-mean, an
 * app's name): the core applies it where findings and reports are assembled, so no front door
 * (CLI text or JSON, Action annotations, summary and outputs, the App's check run) shows it.
 */
import { error, type Finding } from '../findings.js';
import type { ParsedDocument } from '../parse/document.js';
import { SECRET_RULES } from './secret-rules.js';

/** What replaces a secret wherever it would be shown. */
export const SECRET_REMOVED = '[secret removed]';

/** The rule a text matches first, if any. */
export function secretIn(text: string): string | undefined {
  for (const rule of SECRET_RULES) if (rule.pattern.test(text)) return rule.what;
  return undefined;
}

export function findSecrets(doc: ParsedDocument): Finding[] {
  const findings: Finding[] = [];
  const report = (what: string, position: { line: number; column: number }, where: string) => {
    findings.push(
      error(
        'secret.detected',
        doc.path,
        position,
        `This looks like ${what}${where}. Secrets never belong in the registry: remove it, revoke it, and ask the platform team to store it in the company's secret manager.`,
      ),
    );
  };
  const visit = (value: unknown, pointer: Array<string | number>): void => {
    if (typeof value === 'string') {
      const what = secretIn(value);
      if (what) report(what, doc.valueAt(pointer), '');
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, [...pointer, i]);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const what = secretIn(k);
        if (what) report(what, doc.keyAt([...pointer, k]), ' (used as a field name)');
        visit(v, [...pointer, k]);
      }
    }
  };
  visit(doc.value, []);
  return findings;
}

const GLOBAL_RULES = SECRET_RULES.map((r) => ({ ...r, pattern: new RegExp(r.pattern.source, `${r.pattern.flags}g`) }));

/** `text` with every secret replaced by SECRET_REMOVED (an address keeps its host). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of GLOBAL_RULES) {
    rule.pattern.lastIndex = 0;
    if (!rule.pattern.test(out)) continue;
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.id === 'address-password' ? `://${SECRET_REMOVED}@` : SECRET_REMOVED);
  }
  return out;
}

/** A copy of plain data (a report, findings) with every string, and every key, redacted. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactSecrets(k)] = redactDeep(v);
    return out as T;
  }
  return value;
}
