/**
 * Every error the code throws on purpose, in one place. A caller that must tell one failure
 * from another (the CLI choosing an exit code, the Action choosing its failure text, the App
 * choosing a webhook answer) matches on the class or on `kind`, never on the message: messages
 * are for people and change with the wording. Each type carries the fields a caller needs
 * (the ref, the path, the input name...).
 *
 * Every class but AuditBugError is an expected failure: bad input or an outside world that is
 * not as it should be, shown to the user as one line. AuditBugError is a broken promise between
 * callers (a bug), typed so that it is never mistaken for bad input.
 */
import type { AuditProblem } from './audit/model.js';

/** What `kind` can say: one word per class below. */
export type MicroappsErrorKind =
  | 'source'
  | 'ref-not-found'
  | 'not-a-git-repository'
  | 'tree-too-large'
  | 'audit-refused'
  | 'commit-not-in-checkout'
  | 'usage'
  | 'app-config'
  | 'app-not-configured'
  | 'delivery-in-progress'
  | 'delivery-failed'
  | 'condition'
  | 'audit-bug';

/** The base of every error below. */
export abstract class MicroappsError extends Error {
  abstract readonly kind: MicroappsErrorKind;
}

/** An expected failure of the outside world (missing ref, no git, GitHub's refusal), shown as one line. */
export class SourceError extends MicroappsError {
  readonly kind: MicroappsErrorKind = 'source';
  override readonly name: string = 'SourceError';
}

/** A git ref or commit that is not in the repository (not fetched, or misspelt). */
export class RefNotFoundError extends SourceError {
  override readonly kind: MicroappsErrorKind = 'ref-not-found';
  override readonly name: string = 'RefNotFoundError';
  constructor(readonly ref: string) {
    super(`the git ref "${ref}" was not found. Fetch it first (for example: git fetch origin) or check its name.`);
  }
}

/** A folder that is not inside a git repository, where git history is needed. */
export class NotAGitRepositoryError extends SourceError {
  override readonly kind: MicroappsErrorKind = 'not-a-git-repository';
  override readonly name: string = 'NotAGitRepositoryError';
  constructor(readonly path: string) {
    super(`${path} is not inside a git repository.`);
  }
}

/** GitHub could not list a tree in one answer: judging what it did list would be unsafe. */
export class TreeTooLargeError extends SourceError {
  override readonly kind: MicroappsErrorKind = 'tree-too-large';
  override readonly name: string = 'TreeTooLargeError';
  /** `label`: the tree, e.g. "head (3f2c1a0)"; `scope`: what was truncated, e.g. `the folder "apps/"`. */
  constructor(
    readonly label: string,
    readonly scope: string,
  ) {
    super(
      `${label}: ${scope} is too large for GitHub to list in one API call (GitHub truncated the listing), ` +
        'so the App cannot see every governed file and will not judge this change. ' +
        'Run the check from a clone instead (the microapps CLI or the GitHub Action read git directly).',
    );
  }
}

/** An audit log that does not verify, or a key that cannot sign: nothing was written. */
export class AuditRefusedError extends SourceError {
  override readonly kind: MicroappsErrorKind = 'audit-refused';
  override readonly name: string = 'AuditRefusedError';
  constructor(readonly problems: readonly AuditProblem[]) {
    super(
      `the audit log refused the append: ${problems.map((p) => (p.line ? `${p.path}:${p.line}: ${p.message}` : p.message)).join('; ')}`,
    );
  }
}

/** A pull request's base or head commit that the Action's checkout does not have (a shallow clone). */
export class CommitNotInCheckoutError extends SourceError {
  override readonly kind: MicroappsErrorKind = 'commit-not-in-checkout';
  override readonly name: string = 'CommitNotInCheckoutError';
  constructor(
    readonly commit: string,
    readonly role: 'base' | 'head',
  ) {
    super(
      `the pull request's ${role} commit ${commit} is not in this checkout. ` +
        'Check out the repository with full history (actions/checkout with "fetch-depth: 0") so both the base and the head commits are available.',
    );
  }
}

/** A mistake in how the CLI was called: exit code 2, one line on stderr. */
export class UsageError extends MicroappsError {
  readonly kind: MicroappsErrorKind = 'usage';
  override readonly name: string = 'UsageError';
}

/** The App's configuration file (.github/microapps.yml on the default branch) cannot be used: nothing is judged. */
export class AppConfigError extends MicroappsError {
  readonly kind: MicroappsErrorKind = 'app-config';
  override readonly name: string = 'AppConfigError';
}

/** The App's deployment lacks environment variables it needs; `missing` names them. */
export class AppNotConfiguredError extends MicroappsError {
  readonly kind: MicroappsErrorKind = 'app-not-configured';
  override readonly name: string = 'AppNotConfiguredError';
  constructor(readonly missing: readonly string[]) {
    super(`the App is not configured: missing environment variables: ${missing.join(', ')}`);
  }
}

/**
 * A redelivery of a delivery that is still being handled. It is not answered as handled: if the
 * first try then fails, the event would be lost. The webhook boundary answers it with 503.
 */
export class DeliveryInProgressError extends MicroappsError {
  readonly kind: MicroappsErrorKind = 'delivery-in-progress';
  override readonly name: string = 'DeliveryInProgressError';
  constructor(readonly id: string) {
    super(`delivery ${id} is still being handled by an earlier delivery of the same id; it was not handled again`);
  }
}

/** An App failure as Probot gets to log it: a redacted one-line message and no request, response or headers. */
export class DeliveryFailedError extends MicroappsError {
  readonly kind: MicroappsErrorKind = 'delivery-failed';
  override readonly name: string = 'DeliveryFailedError';
}

/** A problem in a policy condition, at an offset of its text. Thrown by the tokenizer and parser, turned into a finding. */
export class ConditionError extends MicroappsError {
  readonly kind: MicroappsErrorKind = 'condition';
  override readonly name: string = 'ConditionError';
  /** `code`: the finding's code (e.g. "policy.syntax"); `offset`: 0-based, into the condition's text. */
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A broken promise between callers (a bug), never bad input: bad input is an AuditProblem. */
export class AuditBugError extends MicroappsError {
  readonly kind: MicroappsErrorKind = 'audit-bug';
  override readonly name: string = 'AuditBugError';
}
