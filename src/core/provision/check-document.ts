/**
 * What the provisioners schema cannot express (unique webhook names), checked on a document
 * that passed it. loadFile runs it, so `validate`, `check` and the merge job all see it.
 */
import { error, type Finding } from '../findings.js';
import type { ParsedDocument } from '../parse/document.js';

export function checkProvisionersDocument(doc: ParsedDocument): Finding[] {
  const findings: Finding[] = [];
  const raw = doc.value as { webhooks?: Array<{ name: string }> };
  const seen = new Map<string, number>();
  (raw.webhooks ?? []).forEach((hook, index) => {
    const first = seen.get(hook.name);
    if (first === undefined) seen.set(hook.name, index);
    else {
      findings.push(
        error(
          'provisioners.duplicate-webhook',
          doc.path,
          doc.valueAt(['webhooks', index, 'name']),
          `Webhook ${first + 1} is already named "${hook.name}". Give each webhook its own name: steps and results are recorded under it.`,
        ),
      );
    }
  });
  return findings;
}
