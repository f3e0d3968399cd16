/**
 * Step one for every governed file: parse it and check it against its schema. This step
 * looks at one file alone: its cost is the bulk of a full validate.
 */
import type { Finding } from '../findings.js';
import { capFindings, hasErrors } from '../findings.js';
import { MAX_FINDINGS_PER_FILE } from '../parse/limits.js';
import type { ParsedDocument } from '../parse/document.js';
import { parseDocument } from '../parse/parse-document.js';
import { ReparsingDocument } from '../parse/reparsing-document.js';
import { validateSchema, type SchemaKind } from '../schemas/validate.js';
import { checkProvisionersDocument } from '../provision/check-document.js';
import { findSecrets, redactDeep } from './find-secrets.js';
import type { FileRole } from '../tree.js';

export interface LoadedFile {
  path: string;
  role: FileRole;
  /** Present when the file parsed; its value matches the schema when `valid`. */
  document?: ParsedDocument;
  valid: boolean;
  findings: Finding[];
  /** The policy file's text: condition errors point at the exact word inside quoted YAML. */
  source?: string;
}

const SCHEMA_OF: Partial<Record<FileRole, SchemaKind>> = {
  app: 'app',
  connector: 'connector',
  policy: 'policy',
  directory: 'owners',
  'policy-test': 'policy-test',
  'app-config': 'app-config',
  provisioners: 'provisioners',
};

export function loadFile(path: string, role: FileRole, bytes: Uint8Array): LoadedFile {
  const parsed = parseDocument(path, bytes);
  if (!parsed.document) return { path, role, valid: false, findings: redactDeep(parsed.findings) };
  const document = parsed.document;
  const kind = SCHEMA_OF[role];
  const findings = [...findSecrets(document), ...(kind ? validateSchema(document, kind) : [])];
  if (role === 'policy-test' && !hasErrors(findings)) {
    // The manifests inside a policy test must be real manifests, or the test proves nothing.
    for (const field of ['manifest', 'base_manifest'] as const) {
      const value = (document.value as Record<string, unknown>)[field];
      if (value !== undefined) findings.push(...validateSchema(document, 'app', [field], value));
    }
  }
  // What the schema cannot say (unique webhook names) is checked once the shape is right.
  if (role === 'provisioners' && !hasErrors(findings)) findings.push(...checkProvisionersDocument(document));
  const source = role === 'policy' ? new TextDecoder().decode(bytes) : undefined;
  // A clean app or connector rarely needs a position again: keep its value and bytes, not its
  // syntax tree, so thousands of loaded files do not pin thousands of trees in memory.
  const lean = findings.length === 0 && (role === 'app' || role === 'connector')
    ? new ReparsingDocument(path, document.value, () => parseDocument(path, bytes).document!)
    : document;
  return { path, role, document: lean, valid: !hasErrors(findings), findings: capFindings(path, redactDeep(findings), MAX_FINDINGS_PER_FILE), source };
}
