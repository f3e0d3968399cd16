import type { Finding } from '../findings.js';
import type { ChangeKind, Decision, RequiredApproval } from '../model.js';
import type { RuleMatch } from '../policy/types.js';
import type { StepAction } from '../provision/types.js';
import type { DecisionCause } from './causes.js';

/** The result of judging one app change: the `apps[]` entries of `microapps check --format json`. */
export interface AppReport {
  app: string;
  path: string;
  change: ChangeKind;
  decision: Decision;
  /** Ids of the matching rules and guards, as written in the policy. */
  rules: string[];
  required_approvals: RequiredApproval[];
  findings: Finding[];
  /** Why, rule by rule, in plain words. */
  reasons: string[];
  /** What the developer could change to get a lighter decision, where the policy says. */
  remedies: string[];
  /**
   * Where in the manifest each guard or rule that needs a review or denies points (the
   * connector entry, the field its condition read): annotations go on these lines.
   */
  causes?: DecisionCause[];
}

export interface GovernanceChange {
  path: string;
  change: ChangeKind;
}

/** `microapps check --format json`: the contract the Action and the App build on. */
export interface CheckReport {
  decision: Decision;
  apps: AppReport[];
  governance: GovernanceChange[];
  /** The union of every approval the change needs. */
  required_approvals: RequiredApproval[];
  findings: Finding[];
  base: string;
  head: string;
  /**
   * What merging will provision, planned with the base branch's policies/provisioners.yaml and
   * the head's registry. Absent when the base branch configures no provisioning (and the change
   * does not add a configuration).
   */
  provisioning?: ProvisioningPreview;
}

export interface ProvisioningPreview {
  /** One per provisioner and app change: the gateway first, then the webhooks as configured. */
  steps: ProvisioningPreviewStep[];
  /** What the steps do not say: a broken or changed configuration, apps that cannot be provisioned. */
  notes: string[];
}

export interface ProvisioningPreviewStep {
  provisioner: string;
  app: string;
  action: StepAction;
  /** In plain words. */
  summary: string;
}

export type { RuleMatch, DecisionCause };
