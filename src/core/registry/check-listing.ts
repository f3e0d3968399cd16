/**
 * Checks that need only the list of paths, not the files' contents: what may live under
 * the governed folders, and that app names and connector ids (which must equal their file
 * names) are unique. Because names are file names, uniqueness across a registry of
 * thousands of apps is checked without reading a single manifest.
 */
import { error, START, type Finding } from '../findings.js';
import { pathNameProblem } from '../path-names.js';
import {
  baseName,
  GOVERNED_ROOT_NAMES,
  isDocumentation,
  isGoverned,
  isMiscasedRoot,
  miscasedRootName,
  roleOf,
  type TreeEntry,
} from '../tree.js';

const REGISTRY = 'registry/';

export interface ListingCheck {
  findings: Finding[];
  /** Paths of app files whose base name another app file also has, to each its twins. */
  duplicateApps: Map<string, string[]>;
  duplicateConnectors: Map<string, string[]>;
}

export function checkListing(entries: readonly TreeEntry[], onlyPaths?: ReadonlySet<string>): ListingCheck {
  const findings: Finding[] = [];
  const report = (path: string) => !onlyPaths || onlyPaths.has(path);
  const appsByName = new Map<string, string[]>();
  const connectorsById = new Map<string, string[]>();
  for (const entry of entries) {
    if (!isGoverned(entry.path)) continue;
    const nameProblem = pathNameProblem(entry.path);
    if (nameProblem !== undefined) {
      if (report(entry.path)) findings.push(error('tree.path-name', entry.path, START, nameProblem));
      continue;
    }
    if (entry.kind === 'file' && GOVERNED_ROOT_NAMES.includes(entry.path)) {
      if (report(entry.path)) {
        findings.push(
          error(
            'tree.unexpected-file',
            entry.path,
            START,
            `"${entry.path}" must be a folder, not a file. Remove the file and put the folder back.`,
          ),
        );
      }
      continue;
    }
    if (entry.kind !== 'file') {
      if (report(entry.path)) {
        const folder = GOVERNED_ROOT_NAMES.includes(entry.path)
          ? `"${entry.path}" must be a real folder, but here it is ${entry.kind === 'symlink' ? 'a symbolic link' : 'a submodule'}: what it points to is not reviewed. `
          : '';
        findings.push(
          error(
            `tree.${entry.kind}`,
            entry.path,
            START,
            folder +
              (entry.kind === 'symlink'
                ? "Symbolic links are not allowed in the registry's governed folders: they could point outside what is reviewed. Replace the link with the file itself."
                : "Git submodules are not allowed in the registry's governed folders: their content is not reviewed here. Remove the submodule."),
          ),
        );
      }
      continue;
    }
    const miscased = isMiscasedRoot(entry.path) ? miscasedRootName(entry.path.slice(0, entry.path.indexOf('/'))) : undefined;
    if (miscased !== undefined) {
      if (report(entry.path)) {
        const top = entry.path.slice(0, entry.path.indexOf('/') + 1);
        findings.push(
          error(
            'tree.miscased-folder',
            entry.path,
            START,
            `The folder ${top} is not ${miscased}: folder names are case-sensitive, so nothing in ${top} is checked or used. Move the file to ${miscased}${entry.path.slice(top.length)}.`,
          ),
        );
      }
      continue;
    }
    const role = roleOf(entry.path);
    if (role === 'app' && !entry.path.slice(REGISTRY.length).includes('/')) {
      if (report(entry.path)) {
        findings.push(
          error(
            'tree.manifest-at-registry-root',
            entry.path,
            START,
            `App manifests belong in their owning team's folder under ${REGISTRY}, not directly in it: move it to ${REGISTRY}<team folder>/${entry.path.slice(REGISTRY.length)} (the folder the owner directory names for the app's owner).`,
          ),
        );
      }
    }
    if (role === 'app') push(appsByName, baseName(entry.path), entry.path);
    else if (role === 'connector') push(connectorsById, baseName(entry.path), entry.path);
    else if (role === 'governed-other' && (entry.path.startsWith('registry/') || entry.path.startsWith('connectors/'))) {
      if (!isDocumentation(entry.path) && report(entry.path)) {
        findings.push(
          error(
            'tree.unexpected-file',
            entry.path,
            START,
            entry.path.startsWith('connectors/')
              ? 'Only connector manifests (.yaml, .yml or .json, directly in connectors/) and Markdown notes belong in connectors/.'
              : 'Only app manifests (.yaml, .yml or .json) and Markdown notes belong in registry/. Rename the file or move it elsewhere.',
          ),
        );
      }
    }
  }
  return {
    findings,
    duplicateApps: duplicates(appsByName),
    duplicateConnectors: duplicates(connectorsById),
  };
}

function push(map: Map<string, string[]>, key: string, path: string): void {
  const list = map.get(key);
  if (list) list.push(path);
  else map.set(key, [path]);
}

function duplicates(map: Map<string, string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const paths of map.values()) {
    if (paths.length < 2) continue;
    for (const p of paths)
      out.set(
        p,
        paths.filter((q) => q !== p),
      );
  }
  return out;
}
