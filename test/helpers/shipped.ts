/**
 * Facts about the shipped registry content (policies/owners.yaml, policies/approval.yaml),
 * read from the files themselves so the tests follow the content instead of repeating it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './paths.js';

interface OwnersFile {
  owners: Record<string, { managers?: string[]; team?: string }>;
}

interface PolicyFile {
  approvers?: Record<string, { owner_managers?: boolean; teams?: string[]; users?: string[] }>;
}

const read = (relative: string) => readFileSync(join(REPO_ROOT, relative), 'utf8');

/** The GitHub logins of an owner's managers, as the reviewers list writes them ("@login"). */
export function managerReviewers(owner: string): string[] {
  const owners = (parse(read('policies/owners.yaml')) as OwnersFile).owners;
  const managers = owners[owner]?.managers ?? [];
  if (managers.length === 0) throw new Error(`policies/owners.yaml has no managers for ${owner}`);
  return managers.map((m) => `@${m}`);
}

/** The teams and users configured for an approval kind in the shipped policy ("@org/slug", "@login"). */
export function configuredReviewers(kind: 'security_team_review' | 'governance'): string[] {
  const policy = parse(read('policies/approval.yaml')) as PolicyFile;
  const spec = policy.approvers?.[kind];
  const out = [...(spec?.teams ?? []), ...(spec?.users ?? [])].map((x) => `@${x}`);
  if (out.length === 0) throw new Error(`policies/approval.yaml configures no ${kind} approvers`);
  return out;
}

export interface WrittenRule {
  id: string;
  conditions: string[];
}

/**
 * The rules of the shipped policy with their ids exactly as written (001 stays "001": a YAML
 * parser would turn it into the number 1) and their condition texts.
 */
export function shippedRules(): WrittenRule[] {
  const rules: WrittenRule[] = [];
  let current: WrittenRule | undefined;
  let inConditions = false;
  for (const line of read('policies/approval.yaml').split('\n')) {
    const id = /^\s*-\s+id:\s*["']?([^"'\s#]+)/.exec(line);
    if (id) {
      current = { id: id[1]!, conditions: [] };
      rules.push(current);
      inConditions = false;
      continue;
    }
    if (!current) continue;
    if (/^\s+conditions:\s*$/.test(line)) {
      inConditions = true;
      continue;
    }
    const condition = /^\s+-\s+(.+?)\s*$/.exec(line);
    if (inConditions && condition) {
      current.conditions.push(condition[1]!);
      continue;
    }
    if (/^\s+[a-z_]+:/.test(line)) inConditions = false;
  }
  return rules;
}
