/**
 * Manifests never hold secrets (SSO only, credentials live in the platform). Unknown fields
 * already refuse `api_key:` and the like; this catches a secret pasted into a free-text
 * field. The finding never repeats the secret.
 */
import { error, type Finding } from '../findings.js';
import type { ParsedDocument } from '../parse/document.js';

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, 'a Slack token'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a signed token (JWT)'],
  [/\b(password|passwd|secret|api[_-]?key|client[_-]?secret)\s*[:=]\s*\S{6,}/i, 'a password or key'],
  [/:\/\/[^/\s:@]+:[^/\s@]+@/, 'a password inside an address'],
];

export function findSecrets(doc: ParsedDocument): Finding[] {
  const findings: Finding[] = [];
  const visit = (value: unknown, pointer: Array<string | number>): void => {
    if (typeof value === 'string') {
      for (const [pattern, what] of SECRET_PATTERNS) {
        if (pattern.test(value)) {
          findings.push(error('secret.detected', doc.path, doc.valueAt(pointer),
            `This looks like ${what}. Secrets never belong in the registry: remove it, revoke it, and ask the platform team to store it in the company's secret manager.`));
          break;
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...pointer, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...pointer, k]);
    }
  };
  visit(doc.value, []);
  return findings;
}
