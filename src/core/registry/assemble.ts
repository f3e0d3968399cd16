/**
 * Assembles the files of one tree, already loaded one by one, into a registry snapshot: the
 * connector catalog, the owner directory, the compiled policy, and the cross-file checks of
 * the apps asked for. Every problem is returned as a finding; nothing throws.
 */
import type { Finding } from '../findings.js';
import type { AppManifest, OwnerDirectory } from '../model.js';
import { DEFAULT_DATA_CLASSES, type DataClasses } from '../policy/data-classes.js';
import { loadPolicy } from '../policy/load-policy.js';
import type { CompiledPolicy, ConnectorCatalog } from '../policy/types.js';
import { DIRECTORY_PATH, POLICY_PATH, type TreeListing } from '../tree.js';
import { stillStanding } from '../schemas/deferred.js';
import { buildCatalog } from './build-catalog.js';
import { checkApp, checkOwnerOf } from './check-app.js';
import { checkListing } from './check-listing.js';
import { checkDataClasses } from './check-vocabulary.js';
import type { LoadedFile } from './load-file.js';
import { redactDeep } from './find-secrets.js';

export interface RegistrySnapshot {
  files: ReadonlyMap<string, LoadedFile>;
  catalog: ConnectorCatalog;
  directory?: OwnerDirectory;
  policy?: CompiledPolicy;
  /** Every finding: per file, listing, catalog, policy and cross-file. */
  findings: Finding[];
}

export interface AssembleOptions {
  /** Which app files get cross-file checks and findings; all loaded apps when absent. */
  apps?: ReadonlySet<string>;
  /** Whether listing problems (symlinks, stray files) are reported for all paths or only these. */
  listingPaths?: ReadonlySet<string>;
  /**
   * The data classes apps and connectors are checked against: the judging (base) policy's.
   * Absent: this tree's own policy's (none when it does not load), or the default without a policy.
   * Connectors are checked when their path is reported by the listing check (listingPaths).
   */
  dataClasses?: DataClasses;
  /** The owner directory apps are checked against (owner listed, owner's folder): the judging (base) one. Absent: this tree's. */
  judgingDirectory?: OwnerDirectory;
}

export function assembleSnapshot(listing: TreeListing, loaded: readonly LoadedFile[], options: AssembleOptions = {}): RegistrySnapshot {
  const files = new Map(loaded.map((f) => [f.path, f]));
  const listingCheck = checkListing(listing.entries, options.listingPaths);
  const findings: Finding[] = [...listingCheck.findings];
  const reported = (f: LoadedFile) => f.role !== 'app' || !options.apps || options.apps.has(f.path);
  for (const f of loaded) if (reported(f)) findings.push(...f.findings);

  const { catalog, findings: catalogFindings } = buildCatalog(
    loaded.filter((f) => f.role === 'connector'),
    listingCheck.duplicateConnectors,
  );
  findings.push(...catalogFindings);

  const directoryFile = files.get(DIRECTORY_PATH);
  const directory = directoryFile?.valid ? (directoryFile.document!.value as OwnerDirectory) : undefined;

  let policy: CompiledPolicy | undefined;
  const policyFile = files.get(POLICY_PATH);
  if (policyFile?.valid && policyFile.document) {
    const result = loadPolicy(policyFile.document, { knownConnectorIds: [...catalog.connectors.keys()], source: policyFile.source });
    // The loader's friendly findings stand in for the schema's deferred ones (load-file.ts);
    // any the loader did not report are given, and then the policy is refused.
    const standing = stillStanding(policyFile.deferred, result.findings);
    policy = standing.length === 0 ? result.policy : undefined;
    findings.push(...result.findings, ...standing);
  }

  const ownClasses = policyFile ? policy?.data_classes : DEFAULT_DATA_CLASSES;
  const classes = options.dataClasses ?? ownClasses;
  // A change to this tree's own vocabulary or directory (e.g. dropping a kind of data, or adding
  // a folder rule) must not leave the apps and connectors it breaks unreported: they are checked
  // against both, the judging one and this tree's.
  const ownVocabularyDiffers = options.dataClasses !== undefined && ownClasses !== undefined && !sameKeys(ownClasses, options.dataClasses);
  const crossChecked: Finding[] = [];
  for (const f of loaded) {
    if (f.role === 'app' && reported(f)) {
      crossChecked.push(...checkApp(f, catalog, options.judgingDirectory ?? directory, listingCheck.duplicateApps));
      if (options.judgingDirectory && directory) crossChecked.push(...checkOwnerOf(f, directory));
    }
    const vocabularyChecked =
      f.role === 'app' ? reported(f) : f.role === 'connector' && (!options.listingPaths || options.listingPaths.has(f.path));
    if (classes && vocabularyChecked) crossChecked.push(...checkDataClasses(f, classes));
    if (ownVocabularyDiffers && (f.role === 'connector' || reported(f))) crossChecked.push(...checkDataClasses(f, ownClasses));
  }
  findings.push(...onePerPlace(crossChecked));
  // A secret quoted by any finding (a schema error, a did-you-mean) is removed here, once.
  return { files, catalog, directory, policy, findings: redactDeep(findings) };
}

function sameKeys(a: DataClasses, b: DataClasses): boolean {
  return a.size === b.size && [...a.keys()].every((k) => b.has(k));
}

/** The same problem found against two directories or vocabularies is reported once. */
function onePerPlace(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.path}\u0000${f.line}\u0000${f.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function appManifest(file: LoadedFile | undefined): AppManifest | undefined {
  return file?.valid && file.document ? (file.document.value as AppManifest) : undefined;
}
