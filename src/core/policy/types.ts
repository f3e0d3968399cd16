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
  /** The base manifest for a modification, else undefined. */
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
