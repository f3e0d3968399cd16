/**
 * A file tree as the core sees it: a listing of paths with a content id each (a git blob
 * id), and the contents of only those files a step needs. Adapters produce trees from git
 * objects, the working tree, or the GitHub API; the core never reads files itself.
 */

import { pathNameProblem } from './path-names.js';

export type EntryKind = 'file' | 'symlink' | 'submodule';

export interface TreeEntry {
  /**
   * Relative to the registry root, forward slashes; or, with a leading "/", relative to the
   * repository's top folder (a governance path of a registry in a subfolder: governanceScope).
   */
  path: string;
  kind: EntryKind;
  /** Content id: equal ids mean equal contents (git blob id, or a hash of the bytes). */
  oid: string;
}

export interface TreeListing {
  /** Sorted by path. */
  entries: TreeEntry[];
}

/** The bytes of some files of a tree, by path. */
export type FileContents = ReadonlyMap<string, Uint8Array>;

/** Paths whose changes the registry governs. */
export const GOVERNED_ROOTS = [
  'registry/',
  'connectors/',
  'policies/',
  'templates/',
  'schemas/',
  '.github/',
  'audit/',
  'generated/',
] as const;

/**
 * The governed folders' own names ("registry", ...). A symlink, file or submodule standing
 * where a governed folder should be is itself governed (and refused, see check-listing.ts):
 * adapters list these names too, not only what is under them.
 */
export const GOVERNED_ROOT_NAMES: readonly string[] = GOVERNED_ROOTS.map((root) => root.slice(0, -1));

/** Changes under these need the governance approvers (DESIGN.md section 3). */
export const GOVERNANCE_ROOTS = ['connectors/', 'policies/', 'templates/', 'schemas/', '.github/'] as const;

/**
 * The gate's own code, by default: the shipped workflow runs `uses: ./action` from the pull
 * request's checkout, so a change here changes the check that judges it. A change to any of
 * these is a governance change. The base policy's `governance_paths:` replaces this list.
 * A path ending in "/" is a folder; any other is one file. Relative to the REPOSITORY's top
 * folder (where the workflow's `./action` and package.json are), not the registry's: see
 * governanceScope for a registry in a subfolder.
 */
export const DEFAULT_GOVERNANCE_PATHS: readonly string[] = ['action/', 'src/', 'bin/', 'scripts/', 'package.json', 'package-lock.json'];

/**
 * Whether `path` is one of `paths` (a file) or lies under one of them (a folder, ending in "/").
 * A folder's bare name counts too: a symlink or file standing where "action/" should be is a
 * change to the gate's code like any other.
 */
export function inPathList(path: string, paths: readonly string[]): boolean {
  return paths.some((p) => (p.endsWith('/') ? path.startsWith(p) || path === p.slice(0, -1) : path === p));
}

/**
 * Marks a path that is relative to the repository's top folder rather than the registry's:
 * "/action/x.js" is the repository's action/x.js, whatever folder the registry is in. Adapters
 * never produce a registry path with a leading "/" (git, the file system and GitHub all list
 * relative names), so a marked path cannot collide with a registry path; and, as in CODEOWNERS
 * and .gitignore, a leading "/" reads as "from the top of the repository".
 */
export const REPOSITORY_ROOT_MARK = '/';

/** Said wherever marked paths are shown to people. */
export const REPOSITORY_ROOT_NOTE = 'A path starting with "/" is from the top of the repository, not from the registry\'s folder.';

/** Whether a path (or a governance path) is marked as relative to the repository's top folder. */
export function isRepositoryRootPath(path: string): boolean {
  return path.startsWith(REPOSITORY_ROOT_MARK);
}

/**
 * The governance paths in the form the listings and the core use (the scope). Governance paths
 * are relative to the repository's top folder. When the registry is that folder, they are
 * registry paths as written, exactly as before. When the registry is in a subfolder (`--root
 * sub/`, the Action's `root` input), each is marked as a repository path ("/action/",
 * "/package.json"), so the repository's own action/ is governed rather than sub/action/; and the
 * repository's own .github/ (its workflows, which run the check; CODEOWNERS) is governed too,
 * as the registry's .github/ is when the registry is at the top.
 */
export function governanceScope(governancePaths: readonly string[], registryInSubfolder: boolean): string[] {
  if (!registryInSubfolder) return [...governancePaths];
  const usable = governancePaths.filter((p) => !isRepositoryRootPath(p) && governancePathProblem(p) === undefined);
  return [...new Set([...usable, '.github/'].map((p) => `${REPOSITORY_ROOT_MARK}${p}`))];
}

/**
 * Why a governance path cannot be used (undefined when it can): plain relative paths only, a
 * file or a folder ending in "/", no patterns, relative to the repository's top folder.
 */
export function governancePathProblem(path: string): string | undefined {
  const segments = path.replace(/\/$/, '').split('/');
  if (
    !path ||
    path.startsWith('/') ||
    path.startsWith(':') ||
    /[*?[\]{}\\]/.test(path) ||
    segments.some((s) => s === '' || s === '.' || s === '..') ||
    pathNameProblem(path) !== undefined
  ) {
    return `"${path}" is not a path this list can hold: write a file (package.json) or a folder ending in "/" (action/), relative to the repository's top folder, without "*", ".." or a leading "/".`;
  }
  return undefined;
}

/**
 * What a listing covers: the governed folders (with their bare names) and the governance paths
 * (the base policy's list of the gate's own code). Nothing else is listed, so a file the
 * registry does not govern is neither read nor judged.
 */
export function inListingScope(path: string, governancePaths: readonly string[]): boolean {
  return isGoverned(path) || inPathList(path, governancePaths);
}

/**
 * The names adapters list (git pathspecs, folders to walk): the governed roots' and the usable
 * governance paths'. A name with a leading "/" (REPOSITORY_ROOT_MARK) is listed from the
 * repository's top folder, and its entries are listed with the mark ("/action/x.js").
 */
/**
 * What an adapter caches a listing under: the governance paths themselves, not the names listed
 * (listingNames drops the trailing "/", but "action" the file and "action/" the folder filter
 * the entries differently).
 */
export function listingKey(governancePaths: readonly string[]): string {
  return [...new Set(governancePaths)].sort().join('\0');
}

export function listingNames(governancePaths: readonly string[]): string[] {
  // A marked path ("/action/", see governanceScope) is listed from the repository's top folder.
  const usable = (p: string) => governancePathProblem(isRepositoryRootPath(p) ? p.slice(REPOSITORY_ROOT_MARK.length) : p) === undefined;
  const extra = governancePaths.filter(usable).map((p) => p.replace(/\/$/, ''));
  return [...new Set([...GOVERNED_ROOT_NAMES, ...extra])];
}

/** No pull request may touch the audit log: only the merge job appends to it. */
export const AUDIT_ROOT = 'audit/';

/** Desired state rendered by the provisioners (the API gateway's configuration): only the merge job writes it. */
export const GENERATED_ROOT = 'generated/';

export const POLICY_PATH = 'policies/approval.yaml';
export const DIRECTORY_PATH = 'policies/owners.yaml';
export const POLICY_TESTS_DIR = 'policies/tests/';
/** The GitHub App's configuration (read from the default branch; see core/app-config). */
export const APP_CONFIG_PATH = '.github/microapps.yml';
/** What a merge provisions (read from the base branch; see core/provision). */
export const PROVISIONERS_PATH = 'policies/provisioners.yaml';

export type FileRole =
  | 'app'
  | 'connector'
  | 'policy'
  | 'directory'
  | 'policy-test'
  | 'app-config'
  | 'provisioners'
  | 'governed-other'
  | 'ungoverned';

const MANIFEST_EXTENSION = /\.(ya?ml|json)$/;

/** What a path is, from its location alone. */
export function roleOf(path: string): FileRole {
  // A name that is not plain text is never read as a manifest: check-listing refuses it.
  if (pathNameProblem(path) !== undefined) return isGoverned(path) ? 'governed-other' : 'ungoverned';
  if (path.startsWith('registry/')) return MANIFEST_EXTENSION.test(path) ? 'app' : 'governed-other';
  if (path.startsWith('connectors/')) {
    return MANIFEST_EXTENSION.test(path) && !path.slice('connectors/'.length).includes('/') ? 'connector' : 'governed-other';
  }
  if (path === POLICY_PATH) return 'policy';
  if (path === DIRECTORY_PATH) return 'directory';
  if (path === APP_CONFIG_PATH) return 'app-config';
  if (path === PROVISIONERS_PATH) return 'provisioners';
  if (path.startsWith(POLICY_TESTS_DIR) && /\.ya?ml$/.test(path) && !path.slice(POLICY_TESTS_DIR.length).includes('/')) {
    return 'policy-test';
  }
  return isGoverned(path) ? 'governed-other' : 'ungoverned';
}

export function isGoverned(path: string): boolean {
  return GOVERNED_ROOTS.some((root) => path.startsWith(root)) || GOVERNED_ROOT_NAMES.includes(path) || isMiscasedRoot(path);
}

/**
 * A path under a governed top-level folder written in another case (`Registry/`, `Policies/`).
 * Such a folder is listed and governed (so changing it is judged and reported as an error) rather
 * than quietly ignored; on a case-insensitive disk it would even be the same folder.
 */
export function isMiscasedRoot(path: string): boolean {
  const slash = path.indexOf('/');
  return slash > 0 && miscasedRootName(path.slice(0, slash)) !== undefined;
}

/** The governed folder ("registry/") a top-level name spells in another case, or undefined. */
export function miscasedRootName(name: string): string | undefined {
  const root = GOVERNED_ROOTS.find((r) => r.slice(0, -1).toLowerCase() === name.toLowerCase());
  return root !== undefined && root.slice(0, -1) !== name ? root : undefined;
}

export function isGovernance(path: string): boolean {
  return GOVERNANCE_ROOTS.some((root) => path.startsWith(root));
}

/** "registry/finance/expense-approver.json" -> "expense-approver". */
export function baseName(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file.replace(MANIFEST_EXTENSION, '');
}

/** Files under registry/ and connectors/ that are documentation, not manifests. */
export function isDocumentation(path: string): boolean {
  return /\.md$/i.test(path) || /(^|\/)\.gitkeep$/.test(path);
}
