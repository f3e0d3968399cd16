/**
 * What provisioning works with. A merge changes some apps; each configured provisioner turns
 * those changes (and the registry as it is after the merge) into steps, purely; applying a
 * step does the work (renders a file, calls a webhook) and says how it went. Steps and results
 * are plain JSON data: the merge job records them in the audit entry of each app change.
 */
import type { AppManifest } from '../model.js';
import type { ConnectorCatalog } from '../policy/types.js';

export type AppChangeKind = 'registered' | 'changed' | 'removed';

/** One app changed by a merge. */
export interface AppChange {
  app: string;
  /** Where its manifest is (after the merge; for a removal, where it was). */
  path: string;
  kind: AppChangeKind;
  /** The manifest after the merge; for a removal, the manifest removed. Absent when it is not valid. */
  manifest?: AppManifest;
  /** manifestHash(manifest), or null when there is no valid manifest. */
  manifestHash: string | null;
  /** For a change: the manifest before it, when known (tells a real change from a reformatting). */
  previous?: AppManifest;
}

export type StepAction = 'create' | 'update' | 'delete' | 'unchanged';

export interface PlanStep {
  /** "gateway", or "webhook:<name>". */
  provisioner: string;
  app: string;
  action: StepAction;
  /** Stable for a provisioner, app, action and manifest hash: repeating a step repeats its key. */
  idempotencyKey: string;
  /** What the step does, in plain words (the pull request's preview shows it). */
  summary: string;
  /** What the provisioner needs to apply the step (JSON data). */
  payload: unknown;
  /** Set when the step cannot be applied (the app's manifest is not valid): applying it skips it. */
  skip?: string;
}

export type StepStatus = 'applied' | 'unchanged' | 'failed' | 'skipped';

export interface StepResult {
  provisioner: string;
  app: string;
  action: StepAction;
  status: StepStatus;
  /** Why it failed or was skipped, or what was done, in plain words. Never holds a secret. */
  detail?: string;
  idempotencyKey: string;
  /** How many requests were made (webhooks). */
  attempts?: number;
}

/** The registry after the merge, as the provisioners see it. */
export interface RegistryAfter {
  catalog: ConnectorCatalog;
  /**
   * Every valid app after the merge. File-rendering provisioners (the gateway) need all of them
   * to render desired state; planning does not, so a preview leaves it out.
   */
  apps?: readonly AppManifest[];
}

/** A file a provisioner renders: the merge job writes it and commits it. */
export interface RenderedFile {
  path: string;
  content: string;
}

/** Where a provisioner reads what is there now (the generated files of the merge commit). */
export type CurrentFiles = (path: string) => string | undefined;

export interface ApplyContext {
  registry: RegistryAfter;
  files: CurrentFiles;
  /** The environment (webhook secrets). */
  env: Readonly<Record<string, string | undefined>>;
  /** Idempotency keys already applied (e.g. recorded in the audit log): those steps are not redone. */
  done: ReadonlySet<string>;
}

export interface ApplyResult {
  /** One per step, in the order of the steps. */
  results: StepResult[];
  /** Files to write (only those whose content changes). */
  files: RenderedFile[];
}

/** The pure half of a provisioner. */
export interface Planner {
  readonly name: string;
  plan(changes: readonly AppChange[], registry: RegistryAfter): PlanStep[];
}

/** The applying half: planning is the planners' (plan.ts), so the preview needs no provisioner. */
export interface Provisioner {
  readonly name: string;
  /** Applies its own steps; idempotent per app and manifest hash. Never throws: failures are results. */
  apply(steps: readonly PlanStep[], context: ApplyContext): Promise<ApplyResult>;
}
