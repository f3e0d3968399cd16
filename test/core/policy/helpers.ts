/** Shared fixtures for the policy tests: real YAML parsing, a small catalog, a manifest factory. */
import { expect } from 'vitest';
import type { Finding } from '../../../src/core/findings.js';
import type { AppManifest, ConnectorManifest, OwnerDirectory } from '../../../src/core/model.js';
import type { ParsedDocument } from '../../../src/core/parse/document.js';
import { parseDocument } from '../../../src/core/parse/parse-document.js';
import { loadPolicy } from '../../../src/core/policy/load-policy.js';
import type { CompiledPolicy, ConnectorCatalog } from '../../../src/core/policy/types.js';

export const POLICY_PATH = 'policies/approval.yaml';

export const SEED_POLICY = `lists:
  minimal_scopes: [openid, profile, email]
policy:
  - id: 001
    name: auto_approve_sandbox
    conditions:
      - environment == "sandbox"
      - connectors in preapproved_list
      - scopes subset_of minimal_scopes
    action: auto_approve
  - id: 002
    name: require_manager
    conditions:
      - environment == "production"
      - connectors include "hr_api_read"
    action: manager_approval
  - id: 003
    name: manual_security_review
    conditions:
      - data_types include "pii" or "financial_write"
    action: security_team_review
`;

export function parse(text: string, path = POLICY_PATH): ParsedDocument {
  const result = parseDocument(path, new TextEncoder().encode(text));
  expect(result.findings).toEqual([]);
  return result.document!;
}

function connector(id: string, extra: Partial<ConnectorManifest> = {}): ConnectorManifest {
  return { connector_id: id, allowed_scopes: ['read'], rate_limit: '1000/hour', owner: 'it@example.com', rotation_days: 90, ...extra };
}

export const CATALOG: ConnectorCatalog = {
  connectors: new Map([
    ['hr_api_read', connector('hr_api_read')],
    ['customer_db_read', connector('customer_db_read', { data_classification: ['pii'] })],
    ['expense_api_write', connector('expense_api_write', { data_classification: ['financial_write'] })],
    ['calendar_read', connector('calendar_read')],
    ['wiki_read', connector('wiki_read', { status: 'preapproved' })],
    ['crm_api', connector('crm_api', { status: 'restricted' })],
    ['drive_files', connector('drive_files', { allowed_scopes: ['files:read', 'files:write'] })],
    ['legacy_db', connector('legacy_db', { status: 'blocked' })],
  ]),
};

export const DIRECTORY: OwnerDirectory = {
  owners: {
    'finance-team@example.com': { team: 'acme/finance', managers: ['maria', 'bob'] },
    'nomanager@example.com': { team: 'acme/lost' },
  },
};

export function app(extra: Partial<AppManifest> = {}): AppManifest {
  return {
    name: 'expense-approver-microapp',
    owner: 'finance-team@example.com',
    environment: 'sandbox',
    auth: { type: 'oidc', provider: 'company-sso', scopes: ['openid', 'profile', 'email'] },
    connectors: ['calendar_read'],
    logging: { level: 'info', output: 'central-logs', structured: true },
    retention_days: 90,
    ...extra,
  };
}

/** Loads a policy from YAML text; the file text is passed so columns are exact. */
export function load(text: string, opts: { source?: boolean } = {}): { policy?: CompiledPolicy; findings: Finding[] } {
  return loadPolicy(parse(text), {
    knownConnectorIds: [...CATALOG.connectors.keys()],
    ...(opts.source === false ? {} : { source: text }),
  });
}

export function loadOk(text: string): CompiledPolicy {
  const { policy, findings } = load(text);
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  expect(policy).toBeDefined();
  return policy!;
}

/** YAML for a condition: plain, unless it starts with a quote (YAML would read that as a quoted scalar). */
export function yamlCondition(c: string): string {
  return /^["']/.test(c) ? `'${c.replace(/'/g, "''")}'` : c;
}

/** A policy with one rule per condition, to test conditions one at a time. */
export function policyWith(conditions: string[], header = ''): string {
  return `${header}policy:\n${conditions
    .map((c, i) => `  - id: r${i}\n    name: rule_${i}\n    conditions:\n      - ${yamlCondition(c)}\n    action: manager_approval\n`)
    .join('')}`;
}

/** The single error of loading `text`, as {code, line, column}. */
export function onlyError(text: string): { code: string; line: number; column: number; message: string } {
  const { policy, findings } = load(text);
  const errors = findings.filter((f) => f.severity === 'error');
  expect(policy).toBeUndefined();
  expect(errors).toHaveLength(1);
  const [e] = errors;
  return { code: e!.code, line: e!.line, column: e!.column, message: e!.message };
}
