/**
 * A connector listed by its bare id is granted every scope it allows. That is allowed, but the
 * least-privilege form names the scopes: a notice (advice, never a warning that would crowd out
 * the problems in the annotations GitHub shows), said for changed apps (check) and in explain,
 * not for every app of a whole-registry validate.
 */
import { notice, sortFindings, START, type Finding } from '../findings.js';
import type { AppManifest } from '../model.js';
import type { ParsedDocument } from '../parse/document.js';
import type { ConnectorCatalog } from '../policy/types.js';

export const ALL_SCOPES_CODE = 'app.connector-all-scopes';

/**
 * Apps of one check that get the hint at the exact line. Finding a line parses the manifest a
 * second time (a valid file is parsed once, without positions): a pull request of thousands of
 * apps gets the hint for the first ones, then one notice for the rest, at a bounded cost.
 */
export const MAX_HINTED_APPS = 100;

/** The connector entries listed by their bare id that grant more than one scope could: no position needed. */
function bareEntries(
  document: ParsedDocument | undefined,
  catalog: ConnectorCatalog,
): Array<{ index: number; id: string; scopes: string[] }> {
  const manifest = document?.value as AppManifest | undefined;
  const list: unknown[] = Array.isArray(manifest?.connectors) ? manifest.connectors : [];
  return list.flatMap((entry, index) => {
    if (typeof entry !== 'string') return [];
    const connector = catalog.connectors.get(entry);
    const scopes = connector?.allowed_scopes;
    // A blocked connector must go, whatever its scopes: the guard says so.
    if (connector?.status === 'blocked' || !Array.isArray(scopes) || scopes.length === 0) return [];
    return [{ index, id: entry, scopes: scopes.map(String) }];
  });
}

export function bareConnectorHints(document: ParsedDocument | undefined, catalog: ConnectorCatalog): Finding[] {
  return bareEntries(document, catalog).map(({ index, id, scopes }) =>
    notice(
      ALL_SCOPES_CODE,
      document!.path,
      document!.valueAt(['connectors', index]),
      `"${id}" is listed by its id alone, so the app gets all of its scopes (${scopes.join(', ')}). List only the scopes the app needs, in the form { id: ${id}, scopes: [${scopes.join(', ')}] } with the ones it does not need removed.`,
    ),
  );
}

/** The hints of one check, app by app, bounded by MAX_HINTED_APPS (then one notice on the first app past it). */
export class ConnectorHintBudget {
  private hinted = 0;
  private first?: { path: string; findings: Finding[] };
  private more = 0;

  constructor(private readonly catalog: ConnectorCatalog) {}

  /** The hints for this app (added to `findings` later by the caller), or none once the budget is spent. */
  hints(document: ParsedDocument | undefined, findings: Finding[]): Finding[] {
    if (bareEntries(document, this.catalog).length === 0) return [];
    if (this.hinted < MAX_HINTED_APPS) {
      this.hinted++;
      return bareConnectorHints(document, this.catalog);
    }
    if (this.more++ === 0) this.first = { path: document!.path, findings };
    return [];
  }

  /** After the last app: the one notice for the apps past the budget. */
  finish(): void {
    if (!this.first) return;
    this.first.findings.push(
      notice(
        ALL_SCOPES_CODE,
        this.first.path,
        START,
        `This app and ${(this.more - 1).toLocaleString('en-US')} more after it list a connector by its id alone, so they get all of its scopes. In each, list only the scopes the app needs, in the form { id: ..., scopes: [...] }, as the notices above show.`,
      ),
    );
    sortFindings(this.first.findings);
  }
}
