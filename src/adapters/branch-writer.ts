/**
 * The branch-writer port: what recording a merge needs of the place its branch lives (a local
 * clone, GitHub's API). Read the branch tip, ask whether a commit is on the branch, and commit
 * files on top of a given tip by compare-and-swap: the commit lands only if the branch still
 * points to `expectedHead`, otherwise the writer says where it points now and nothing changed.
 * The merge-record loop (pipeline/merge/record-loop.ts) is written once over this port;
 * adapters/git/branch-writer.ts and adapters/github/branch-writer.ts implement it.
 */
export interface CommitMessage {
  headline: string;
  body: string;
}

export interface BranchCommitOptions {
  /** The tip the files were computed on: the new commit's parent, and the compare-and-swap's expected value. */
  expectedHead: string;
  message: CommitMessage;
}

export type BranchCommitResult =
  | { kind: 'committed'; sha: string; signed: boolean; url?: string }
  /** The branch no longer points to expectedHead; `head` is where it points as far as the writer can tell now. */
  | { kind: 'moved'; head: string; detail: string };

export interface BranchWriter {
  /** The branch written to, without refs/heads/. */
  readonly branch: string;
  /** The commit the branch points to now. */
  head(): Promise<string>;
  /** Whether `commit` is `head` or one of its ancestors. */
  contains(head: string, commit: string): Promise<boolean>;
  /** Path (the registry's own, relative to its folder) -> new text, as one commit on expectedHead. */
  commit(files: ReadonlyMap<string, string>, options: BranchCommitOptions): Promise<BranchCommitResult>;
}
