/** The audit files of a tree (path -> bytes, as the adapters read them) as the texts the core works on. */
import {
  AUDIT_ALLOWED_SIGNERS_PATH,
  AUDIT_CHECKPOINTS_PATH,
  AUDIT_KEYS_DIR,
  AUDIT_LOG_PATH,
  failed,
  ok,
  type AuditFiles,
  type AuditProblem,
  type AuditResult,
} from './model.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * AuditFiles from the contents of audit/ (other paths are ignored). Absent files are empty;
 * allowed_signers is always given, so verify cross-checks it with the keys.
 */
export function auditFilesFromContents(contents: ReadonlyMap<string, Uint8Array>): AuditResult<AuditFiles> {
  const problems: AuditProblem[] = [];
  const text = (path: string): string => {
    const bytes = contents.get(path);
    if (bytes === undefined) return '';
    try {
      return UTF8.decode(bytes);
    } catch {
      problems.push({
        code: 'audit.encoding',
        path,
        line: 0,
        message: `${path} is not UTF-8 text: it was damaged or edited with the wrong encoding`,
      });
      return '';
    }
  };
  const keys = new Map<string, string>();
  for (const path of contents.keys()) if (path.startsWith(AUDIT_KEYS_DIR)) keys.set(path, text(path));
  const files: AuditFiles = {
    log: text(AUDIT_LOG_PATH),
    checkpoints: text(AUDIT_CHECKPOINTS_PATH),
    keys,
    allowedSigners: text(AUDIT_ALLOWED_SIGNERS_PATH),
  };
  return problems.length > 0 ? failed(problems) : ok(files);
}
