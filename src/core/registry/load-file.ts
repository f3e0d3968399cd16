/**
 * Step one for every governed file: parse it and check it against its schema. This step
 * looks at one file alone: its cost is the bulk of a full validate.
 *
 * One shape check per file kind, in one order for every kind:
 *
 *   1. schema     schemas/<kind>.schema.json (schemas/validate.ts): the file's shape, alone.
 *                 Known fields, required fields, types, allowed values, sizes.
 *   2. normalise  the checked value into the form the rest reads: a policy rule id kept as
 *                 written (001 stays "001"), "@" dropped from approvers, defaults filled in
 *                 (policy, App configuration, provisioners).
 *   3. rules      the friendly checks that need meaning or other files, on a value of the
 *                 right shape only: the policy loader (conditions, list names, rule ids),
 *                 the catalog, owner directory and vocabulary checks of apps and connectors
 *                 (assemble.ts), unique webhook names (provisioners), the policy-test runner.
 *
 *   kind              schema              normalise and rules
 *   app manifest      app                 check-app, check-vocabulary (assemble.ts)
 *   connector         connector           build-catalog, check-vocabulary (assemble.ts)
 *   approval policy   policy              load-policy.ts (assemble.ts)
 *   owner directory   owners              check-app reads apps' owners against it
 *   policy test       policy-test (+ app for its manifests)   policy-tests.ts (microapps test)
 *   App config        app-config          app-config.ts
 *   provisioners      provisioners        check-document.ts (here), config.ts
 *
 * Where a rule of step 3 checks the same value as a schema keyword and says it in plainer
 * words (a YAML `true` as a condition: "true on its own is not a condition", not "must be
 * text"), the rule's words are the ones a user reads: the schema's finding there is deferred
 * (schemas/deferred.ts) and given only when the rule does not run or does not report it.
 * The policy loader keeps its own field checks (unknown or missing fields) so that it is safe
 * on any value; after the schema has passed they have nothing left to find.
 */
import type { Finding } from '../findings.js';
import { capFindings, hasErrors } from '../findings.js';
import { MAX_FINDINGS_PER_FILE } from '../parse/limits.js';
import type { ParsedDocument } from '../parse/document.js';
import { parseDocument } from '../parse/parse-document.js';
import { ReparsingDocument } from '../parse/reparsing-document.js';
import type { DeferredFinding } from '../schemas/deferred.js';
import { validateSchema, type SchemaKind } from '../schemas/validate.js';
import { checkProvisionersDocument } from '../provision/check-document.js';
import { findSecrets, redactDeep } from './find-secrets.js';
import type { FileRole } from '../tree.js';

export interface LoadedFile {
  path: string;
  role: FileRole;
  /**
   * Present when the file parsed; when `valid`, its value matches the schema but for the
   * `deferred` problems, which the kind's rules report in their own words.
   */
  document?: ParsedDocument;
  valid: boolean;
  findings: Finding[];
  /** Schema problems held back for a friendly rule (schemas/deferred.ts); empty unless `valid`. */
  deferred: DeferredFinding[];
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
  if (!parsed.document) return { path, role, valid: false, findings: redactDeep(parsed.findings), deferred: [] };
  const document = parsed.document;
  const kind = SCHEMA_OF[role];
  const schema = kind ? validateSchema(document, kind) : { findings: [], deferred: [] };
  const findings = [...findSecrets(document), ...schema.findings];
  if (role === 'policy-test' && !hasErrors(findings)) {
    // The manifests inside a policy test must be real manifests, or the test proves nothing.
    for (const field of ['manifest', 'base_manifest'] as const) {
      const value = (document.value as Record<string, unknown>)[field];
      if (value === undefined) continue;
      const manifest = validateSchema(document, 'app', [field], value);
      findings.push(...manifest.findings, ...manifest.deferred.map((d) => d.finding));
    }
  }
  // Another problem stops the rules from running: then the schema's words are the only ones.
  const deferred = hasErrors(findings) ? [] : schema.deferred;
  if (hasErrors(findings)) findings.push(...schema.deferred.map((d) => d.finding));
  // What the schema cannot say (unique webhook names) is checked once the shape is right.
  if (role === 'provisioners' && !hasErrors(findings)) findings.push(...checkProvisionersDocument(document));
  const source = role === 'policy' ? new TextDecoder().decode(bytes) : undefined;
  // A clean app or connector rarely needs a position again: keep its value and bytes, not its
  // syntax tree, so thousands of loaded files do not pin thousands of trees in memory.
  const lean =
    findings.length === 0 && deferred.length === 0 && (role === 'app' || role === 'connector')
      ? new ReparsingDocument(path, document.value, () => parseDocument(path, bytes).document!)
      : document;
  return {
    path,
    role,
    document: lean,
    valid: !hasErrors(findings),
    findings: capFindings(path, redactDeep(findings), MAX_FINDINGS_PER_FILE),
    deferred: redactDeep(deferred),
    source,
  };
}
