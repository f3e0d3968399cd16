/**
 * The contract of the policy language (DESIGN.md section 3). The policy module is pure:
 * it takes parsed documents and facts, and returns values and findings.
 */
import type { Finding, Position } from '../findings.js';
import type { Action, AppManifest, ChangeKind, ConnectorManifest, RequiredApproval } from '../model.js';

/** What the base branch knows about connectors: the catalog that judges an app. */
export interface ConnectorCatalog {
  /** Connector manifests of the base tree, by connector_id. */
  connectors: ReadonlyMap<string, ConnectorManifest>;
}

/** One app change, as the policy sees it. */
export interface AppChange {
  kind: ChangeKind;
  /** The head manifest; for a removal, the base manifest. */
  manifest: AppManifest;
  /**
   * The base manifest for a modification, else undefined; for an addition, the removed app of the
   * same name when the change moves the app to another file (rules still judge it as added, but
   * an owner change is still a transfer).
   */
  previous?: AppManifest;
}

/** Where a matched rule or a guard comes from, for people reading a decision. */
export interface RuleMatch {
  /** The rule id exactly as written (`001` stays "001"); guards are `guard:<name>`. */
  id: string;
  name: string;
  action: Action;
  /** Why the rule matched, in plain words (the rule's `message`, or a generated sentence). */
  reason: string;
  /** What the developer could change so this rule no longer applies, when the policy says. */
  remedy?: string;
  position: Position;
}

export interface AppVerdict {
  decision: Action;
  /** Ids of every matching rule and guard, in policy order (guards first). */
  rules: string[];
  matches: RuleMatch[];
  /** True when no rule matched and the default action applied. */
  defaulted: boolean;
  /** The union of approvals over the matching rules, reviewers resolved through the directory. */
  required_approvals: RequiredApproval[];
  /** Evaluation problems that could not be caught at load time (e.g. an owner with no managers). */
  findings: Finding[];
}

export interface ConditionExplanation {
  /** The condition's source text as written in the policy. */
  text: string;
  position: Position;
  value: boolean;
  /** The value of each variable the condition read, for "why". */
  inputs: Record<string, unknown>;
}

export interface RuleExplanation {
  id: string;
  name: string;
  action: Action;
  matched: boolean;
  conditions: ConditionExplanation[];
}

export interface Explanation {
  verdict: AppVerdict;
  rules: RuleExplanation[];
  guards: RuleMatch[];
}

// ---------------------------------------------------------------------------------------------
// The loaded policy (load-policy.ts) and what evaluating it needs.

/** Who may give one kind of approval (the `approvers:` section of the policy file). */
export interface ApproverSpec {
  /** The managers of the app's owner, looked up in the owner directory. */
  owner_managers: boolean;
  /** GitHub teams, "org/slug" (without "@"). */
  teams: string[];
  /** GitHub logins (without "@"). */
  users: string[];
}

/** The values of a policy's variables for one app change (see facts.ts). */
export type Facts = Readonly<Record<string, unknown>>;

export interface CompiledCondition {
  /** The condition as written in the policy (the `when:` text for a raw CEL rule). */
  text: string;
  kind: 'surface' | 'cel';
  /** Where the condition's text starts in the policy file. */
  position: Position;
  /** The CEL expression that is evaluated. */
  cel: string;
  /** Dotted names of the variables and lists the condition reads, in first-read order. */
  reads: string[];
  /** Evaluates the condition; throws only on a CEL run-time error (e.g. an index out of range). */
  test(facts: Facts): boolean;
}

export interface CompiledRule {
  /** The id exactly as written: `001` stays "001". */
  id: string;
  name: string;
  action: Action;
  message?: string;
  remedy?: string;
  description?: string;
  /** Position of the rule's `id` value. */
  position: Position;
  /** All must hold (AND). A `when:` rule has exactly one condition of kind 'cel'. */
  conditions: CompiledCondition[];
}

export interface CompiledPolicy {
  /** Path of the policy file, for findings. */
  path: string;
  default_action: Action;
  /** True when `default_action` was written in the file (false: the built-in manager_approval). */
  default_action_written: boolean;
  lists: ReadonlyMap<string, readonly string[]>;
  approvers: Readonly<Record<'manager_approval' | 'security_team_review' | 'governance', ApproverSpec>>;
  /** The closed vocabulary of data types and classifications, name -> description (data-classes.ts). */
  data_classes: ReadonlyMap<string, string>;
  rules: readonly CompiledRule[];
  /** The gate's own code: a change to these paths needs the governance approvers (`governance_paths:`). */
  governance_paths: readonly string[];
}

export interface LoadPolicyContext {
  /** Connector ids of the catalog the policy is checked against (for "did you mean" warnings). */
  knownConnectorIds: string[];
  /**
   * The policy file's text, optional. With it, findings point at the exact column inside a
   * condition even when the condition is quoted or spans lines; without it they point at the
   * start of the condition's text.
   */
  source?: string;
}
