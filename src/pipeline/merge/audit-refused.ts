/** An audit log that does not verify, or a key that cannot sign: nothing was written. */
import { SourceError } from '../../adapters/tree-source.js';
import type { AuditProblem } from '../../core/audit/index.js';

export class AuditRefusedError extends SourceError {
  constructor(readonly problems: readonly AuditProblem[]) {
    super(`the audit log refused the append: ${problems.map((p) => (p.line ? `${p.path}:${p.line}: ${p.message}` : p.message)).join('; ')}`);
    this.name = 'AuditRefusedError';
  }
}
