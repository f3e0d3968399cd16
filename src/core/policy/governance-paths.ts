/**
 * The governance paths (the gate's own code) the base branch's policy sets, read before the
 * change is diffed: they decide which paths the diff holds. Only the base's copy counts, so a
 * pull request cannot shorten the list that judges it. A policy that cannot be used gives the
 * defaults (and the check fails anyway: an unusable base policy judges nothing).
 */
import type { LoadedFile } from '../registry/load-file.js';
import { DEFAULT_GOVERNANCE_PATHS, governancePathProblem, POLICY_PATH } from '../tree.js';

export function governancePathsOf(baseFiles: readonly LoadedFile[]): readonly string[] {
  const policy = baseFiles.find((f) => f.path === POLICY_PATH);
  const value = policy?.valid ? (policy.document?.value as Record<string, unknown> | undefined)?.governance_paths : undefined;
  // A list the policy loader would refuse judges nothing anyway (the policy fails to load); its
  // usable paths are still listed, so the changes to them show in the report.
  if (Array.isArray(value) && value.every((p) => typeof p === 'string')) {
    const usable = (value as string[]).filter((p) => governancePathProblem(p) === undefined);
    return usable.length === value.length ? usable : [...new Set([...DEFAULT_GOVERNANCE_PATHS, ...usable])];
  }
  return DEFAULT_GOVERNANCE_PATHS;
}
