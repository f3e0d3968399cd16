/**
 * "What merging will do": the provisioning plan of a pull request, computed the way the merge
 * job computes it (the same pure planner) from the base branch's policies/provisioners.yaml and
 * the head's manifests and connectors. The base's copy decides, as for the policy: a pull
 * request cannot preview a configuration it brings itself.
 */
import type { LoadedFile } from '../registry/load-file.js';
import { appManifest, type RegistrySnapshot } from '../registry/assemble.js';
import { appChange } from '../provision/changes.js';
import { provisionersConfigOf } from '../provision/config.js';
import { planProvisioning } from '../provision/plan.js';
import type { AppChange } from '../provision/types.js';
import { PROVISIONERS_PATH } from '../tree.js';
import type { TreeDiff } from './diff-trees.js';
import type { ProvisioningPreview } from './report.js';

export interface PreviewInput {
  diff: TreeDiff;
  baseFiles: readonly LoadedFile[];
  /** Changed apps as they were before the change. */
  previous: ReadonlyMap<string, LoadedFile>;
  head: RegistrySnapshot;
}

export function previewProvisioning(input: PreviewInput): ProvisioningPreview | undefined {
  try {
    return preview(input);
  } catch (e) {
    // The preview informs; it never decides. A bug here must not take the verdict down with it.
    return {
      steps: [],
      notes: [
        `The provisioning preview could not be computed (${(e as Error)?.message ?? String(e)}); the decision above is not affected.`,
      ],
    };
  }
}

function preview(input: PreviewInput): ProvisioningPreview | undefined {
  const baseFile = input.baseFiles.find((f) => f.path === PROVISIONERS_PATH);
  const changesConfig = input.diff.all.some((c) => c.path === PROVISIONERS_PATH);
  if (!baseFile && !changesConfig) return undefined;
  if (!baseFile) {
    return {
      steps: [],
      notes: [
        `The base branch has no ${PROVISIONERS_PATH}, so merging provisions nothing yet; the configuration this pull request adds applies to the merges after it.`,
      ],
    };
  }
  const config = provisionersConfigOf(baseFile).value;
  if (!config) {
    return {
      steps: [],
      notes: [
        `The base branch's ${PROVISIONERS_PATH} has errors, so merging will provision nothing until the platform team fixes it (run: microapps validate on the base branch).`,
      ],
    };
  }
  const notes: string[] = [];
  if (changesConfig) notes.push(`This pull request changes ${PROVISIONERS_PATH}: the steps follow the base branch's copy.`);
  if (!config.gateway && config.webhooks.length === 0)
    notes.push(`${PROVISIONERS_PATH} on the base branch switches every provisioner off.`);

  const changes: AppChange[] = [];
  for (const c of input.diff.apps) {
    const before = appManifest(input.previous.get(c.path));
    const after = c.change === 'removed' ? undefined : appManifest(input.head.files.get(c.path));
    if (c.change !== 'removed' && !after) {
      notes.push(`${c.path} has errors: nothing can be provisioned for it until they are fixed.`);
      continue;
    }
    changes.push(appChange(c.path, c.change, after, before));
  }
  const plan = planProvisioning(config, changes, { catalog: input.head.catalog });
  const steps = plan.steps.map((s) => ({ provisioner: s.provisioner, app: s.app, action: s.action, summary: s.summary }));
  return { steps, notes };
}
