/**
 * The shapes of the registry's files once they passed their JSON Schema (see schemas/).
 * Only validated data is typed this way; everything before validation is `unknown`.
 */

export type Environment = 'sandbox' | 'production';

export interface ConnectorUse {
  id: string;
  /** The subset of the connector's allowed scopes this app uses (least privilege). */
  scopes?: string[];
}

export interface AppManifest {
  name: string;
  owner: string;
  environment: Environment;
  auth: { type: 'oidc' | 'saml'; provider: string; scopes?: string[] };
  connectors: Array<string | ConnectorUse>;
  logging?: { level: string; output: string; structured: boolean };
  retention_days?: number;
  description?: string;
  data_types?: string[];
  template?: string;
  tags?: string[];
  links?: Array<{ title: string; url: string }>;
}

export type ConnectorStatus = 'preapproved' | 'restricted' | 'blocked';

export interface ConnectorManifest {
  connector_id: string;
  allowed_scopes: string[];
  /** "<count>/<second|minute|hour|day>", e.g. "1000/hour". */
  rate_limit: string;
  owner: string;
  rotation_days: number;
  data_classification?: string[];
  operations?: Array<'read' | 'write' | 'delete'>;
  status?: ConnectorStatus;
  description?: string;
  version?: string;
}

/** policies/owners.yaml: who owns what, and who approves for them. */
export interface OwnerDirectory {
  owners: Record<
    string,
    {
      name?: string;
      /** GitHub team of the owner, "org/slug". */
      team?: string;
      /** GitHub logins of the owner's managers. */
      managers?: string[];
      /** The folder under registry/ where this owner's apps live (e.g. "hr"); absent: any folder. */
      folder?: string;
    }
  >;
}

export type Action = 'auto_approve' | 'manager_approval' | 'security_team_review' | 'deny';

/** Weakest first: the strictest matching action wins. */
export const ACTIONS_BY_STRICTNESS: readonly Action[] = ['auto_approve', 'manager_approval', 'security_team_review', 'deny'];

export type Decision = 'no_changes' | Action | 'invalid';

/** Weakest first, for the overall decision of a check. */
export const DECISIONS_BY_STRICTNESS: readonly Decision[] = [
  'no_changes',
  'auto_approve',
  'manager_approval',
  'security_team_review',
  'deny',
  'invalid',
];

/**
 * Whether a decision keeps the change from merging whatever approvals it gets: a denial, or files
 * with errors. Only changing the change lifts it.
 */
export function isBlocking(decision: Decision | undefined): boolean {
  return decision === 'deny' || decision === 'invalid';
}

export function strictest<T extends string>(order: readonly T[], values: Iterable<T>, fallback: T): T {
  let best = -1;
  for (const v of values) best = Math.max(best, order.indexOf(v));
  return best < 0 ? fallback : order[best]!;
}

export type ChangeKind = 'added' | 'modified' | 'removed';

export type ApprovalKind = 'manager_approval' | 'security_team_review' | 'governance';

export interface RequiredApproval {
  action: ApprovalKind;
  /** "@login" for users, "@org/slug" for teams. */
  reviewers: string[];
  /** Why this approval is needed, in plain words. */
  reason: string;
  /**
   * Who gives it, as a heading, when the kind's own heading would not tell two approvals apart:
   * an owner transfer needs a manager of each owner ("Manager of the old owner, ...").
   */
  title?: string;
}
