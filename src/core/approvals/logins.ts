/**
 * GitHub logins and team slugs compare case-insensitively: "Alice" and "alice" are one account.
 * Everything here keys by the lower-case form and keeps the first spelling seen for display.
 */

/** The comparison key of a login or "org/slug": no leading "@", trimmed, lower case. */
export function loginKey(login: string): string {
  return login.trim().replace(/^@/, '').toLowerCase();
}

/** A reviewer entry of a RequiredApproval: "@login" is a user, "@org/slug" a team. */
export type ReviewerSpec = { kind: 'user'; login: string } | { kind: 'team'; team: string };

/** Parses "@login" / "@org/slug"; anything else (empty, "@", "a/b/c") is not a reviewer and yields undefined. */
export function parseReviewer(entry: string): ReviewerSpec | undefined {
  const text = entry.trim().replace(/^@/, '');
  if (text === '' || /\s/.test(text)) return undefined;
  const parts = text.split('/');
  if (parts.length === 1) return { kind: 'user', login: text };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { kind: 'team', team: text };
  return undefined;
}

/** An ordered, case-insensitive set of logins that remembers the first spelling of each. */
export class LoginSet implements Iterable<string> {
  private readonly byKey = new Map<string, string>();

  constructor(logins: Iterable<string> = []) {
    for (const l of logins) this.add(l);
  }

  add(login: string): void {
    const key = loginKey(login);
    if (key !== '' && !this.byKey.has(key)) this.byKey.set(key, login.trim().replace(/^@/, ''));
  }

  has(login: string): boolean {
    return this.byKey.has(loginKey(login));
  }

  get size(): number {
    return this.byKey.size;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.byKey.values();
  }
}

/** Team members from the snapshot, looked up case-insensitively; undefined when the team was not resolved. */
export function membersOf(teamMembers: Readonly<Record<string, readonly string[]>>, team: string): readonly string[] | undefined {
  const key = loginKey(team);
  for (const name of Object.keys(teamMembers)) {
    if (loginKey(name) === key) {
      const members = teamMembers[name];
      return Array.isArray(members) ? members.filter((m) => typeof m === 'string') : undefined;
    }
  }
  return undefined;
}
