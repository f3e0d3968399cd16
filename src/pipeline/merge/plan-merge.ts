/**
 * The first half of recording a merge, wherever the trees come from (a clone, GitHub's API):
 * judge before..after with the same core as the pull request's check, read each changed app's
 * manifest, and plan provisioning with the configuration of `before` (the base that judged).
 */
import { SourceError } from '../../core/errors.js';
import type { TreeSource } from '../../adapters/tree-source.js';
import type { CheckReport } from '../../core/check/report.js';
import { formatHash, sha256 } from '../../core/audit/index.js';
import type { MergedApp } from '../../core/merge/merge-record.js';
import type { AppManifest } from '../../core/model.js';
import {
  appChange,
  planProvisioning,
  PROVISIONERS_PATH,
  readProvisionersConfig,
  type ProvisioningPlan,
  type ProvisionersConfig,
  type RegistryAfter,
} from '../../core/provision/index.js';
import { appManifest, assembleSnapshot } from '../../core/registry/assemble.js';
import { judgeSources } from '../judge-sources.js';
import { loadablePaths, readAndLoad } from '../read-registry.js';

export interface MergePlan {
  report: CheckReport;
  apps: MergedApp[];
  provisioning: ProvisioningPlan;
}

/** `keyScope`: the merge commit, mixed into every idempotency key (see PlanOptions). */
export async function planMerge(before: TreeSource, after: TreeSource, keyScope: string): Promise<MergePlan> {
  const report = await judgeSources(before, before, after);
  const apps = await mergedApps(report, before, after);
  const config = await provisionersConfig(before);
  const provisioning = planProvisioning(
    config,
    apps.map((a) => a.change),
    await registryOf(after),
    { keyScope },
  );
  return { report, apps, provisioning };
}

/** Each app change with its manifest (after; before for a removal) and how it was judged. */
async function mergedApps(report: CheckReport, before: TreeSource, after: TreeSource): Promise<MergedApp[]> {
  const paths = report.apps.map((a) => a.path);
  const [beforeFiles, afterFiles] = await Promise.all([readAndLoad(before, paths), readAndLoad(after, paths)]);
  const afterBytes = await after.read(paths.filter((p) => report.apps.some((a) => a.path === p && a.change !== 'removed')));
  const manifest = (files: typeof beforeFiles, path: string): AppManifest | undefined => appManifest(files.find((f) => f.path === path));
  return report.apps.map((a) => {
    const bytes = afterBytes.get(a.path);
    return {
      report: a,
      change: appChange(a.path, a.change, a.change === 'removed' ? undefined : manifest(afterFiles, a.path), manifest(beforeFiles, a.path)),
      ...(bytes ? { fileHash: formatHash(sha256(bytes)) } : {}),
    };
  });
}

/** The provisioners configuration of a tree; one with errors stops the merge job (never half-applied). */
export async function provisionersConfig(source: TreeSource): Promise<ProvisionersConfig> {
  const bytes = (await source.read([PROVISIONERS_PATH])).get(PROVISIONERS_PATH);
  const result = readProvisionersConfig(bytes);
  if (!result.value) {
    const first = result.findings[0];
    throw new SourceError(
      `${PROVISIONERS_PATH} on ${source.label} has errors${first ? ` (${first.path}:${first.line}:${first.column}: ${first.message})` : ''}: fix it before applying`,
    );
  }
  return result.value;
}

/** The catalog and every valid app of a tree: what the gateway renders. */
export async function registryOf(source: TreeSource): Promise<RegistryAfter> {
  const listing = await source.listing();
  const files = await readAndLoad(source, loadablePaths(listing));
  const snapshot = assembleSnapshot(listing, files);
  const apps = files
    .filter((f) => f.role === 'app')
    .map(appManifest)
    .filter((m): m is AppManifest => m !== undefined);
  return { catalog: snapshot.catalog, apps };
}
