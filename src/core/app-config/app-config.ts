/**
 * The GitHub App's configuration: `.github/microapps.yml` on the registry's default branch
 * (schemas/app-config.schema.json). It lives in the registry so that changing how the gate
 * behaves is itself a governed pull request (`.github/` needs the governance approvers).
 * Who approves what is not configured here: that is the policy's `approvers`, one source.
 */
import type { Finding } from '../findings.js';
import type { Decision } from '../model.js';
import { loadFile } from '../registry/load-file.js';
import { APP_CONFIG_PATH } from '../tree.js';

export { APP_CONFIG_PATH };

/** The decisions a pull request can be labelled with (no label when nothing governed changed). */
export type LabelledDecision = Exclude<Decision, 'no_changes'>;
export const LABELLED_DECISIONS: readonly LabelledDecision[] = [
  'auto_approve',
  'manager_approval',
  'security_team_review',
  'deny',
  'invalid',
];

export interface AppConfig {
  checkName: string;
  requestReviews: boolean;
  comment: boolean;
  approveAutoApproved: boolean;
  /** Label per decision; null: no label for it. Empty when labels are switched off. */
  labels: Readonly<Record<LabelledDecision, string | null>>;
}

export const DEFAULT_LABELS: Readonly<Record<LabelledDecision, string>> = {
  auto_approve: 'microapp: auto-approved',
  manager_approval: 'microapp: needs manager approval',
  security_team_review: 'microapp: needs security review',
  deny: 'microapp: denied',
  invalid: 'microapp: has errors',
};

export const DEFAULT_APP_CONFIG: AppConfig = {
  checkName: 'micro-app approval',
  requestReviews: true,
  comment: true,
  approveAutoApproved: false,
  labels: DEFAULT_LABELS,
};

const NO_LABELS: Record<LabelledDecision, null> = {
  auto_approve: null,
  manager_approval: null,
  security_team_review: null,
  deny: null,
  invalid: null,
};

interface RawAppConfig {
  check_name?: string;
  request_reviews?: boolean;
  comment?: boolean;
  approve_auto_approved?: boolean;
  labels?: false | Partial<Record<LabelledDecision, string | false>>;
}

export interface AppConfigResult {
  /** Present only when the file has no error: a broken configuration is never half-applied. */
  value?: AppConfig;
  findings: Finding[];
}

/** Reads the configuration file's bytes; `bytes` undefined means there is no file: the defaults. */
export function readAppConfig(bytes: Uint8Array | undefined, path = APP_CONFIG_PATH): AppConfigResult {
  if (bytes === undefined) return { value: DEFAULT_APP_CONFIG, findings: [] };
  // The same load as every registry file: parse, secrets, schema.
  const file = loadFile(path, 'app-config', bytes);
  if (!file.valid || !file.document) return { findings: file.findings };
  return { value: toConfig(file.document.value as RawAppConfig), findings: file.findings };
}

function toConfig(raw: RawAppConfig): AppConfig {
  const d = DEFAULT_APP_CONFIG;
  let labels: AppConfig['labels'] = d.labels;
  if (raw.labels === false) labels = NO_LABELS;
  else if (raw.labels) {
    const given = raw.labels;
    labels = Object.fromEntries(
      LABELLED_DECISIONS.map((k) => {
        const v = given[k];
        return [k, v === false ? null : (v ?? DEFAULT_LABELS[k])];
      }),
    ) as Record<LabelledDecision, string | null>;
  }
  return {
    checkName: raw.check_name ?? d.checkName,
    requestReviews: raw.request_reviews ?? d.requestReviews,
    comment: raw.comment ?? d.comment,
    approveAutoApproved: raw.approve_auto_approved ?? d.approveAutoApproved,
    labels,
  };
}
