/**
 * An evil manifest (test/fixtures/apps/evil/evil-app.yaml) through the real CLI, in Markdown
 * (the pull-request summary) and as terminal text: its keys and values reach the findings, and
 * they cannot add markup, HTML, links, mentions, lines or control characters to either output.
 */
import { describe, expect, it } from 'vitest';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { cells, liveText, readerText } from '../helpers/markdown.js';
import { fixture } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

useTempRepos();

const PATH = 'registry/it/evil-app.yaml';
/** Raw controls and direction changers (a line break only where the renderer puts one). */
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function checkEvil(format: 'markdown' | 'text') {
  const repo = createSeededRepo();
  const head = openPullRequest(repo, { write: { [PATH]: fixture('apps/evil/evil-app.yaml') } });
  const r = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head, '--format', format]);
  expect(r.code, r.describe()).toBe(1);
  return r;
}

describe('check: an evil manifest cannot change what the reader sees around its text', () => {
  it('--format markdown: the findings quote it, and nothing of it is live Markdown, HTML or a mention', () => {
    const r = checkEvil('markdown');
    const md = r.stdout;
    const seen = readerText(md);
    // The text reached the output (else the test proves nothing)...
    for (const part of ['<img src=x onerror=alert(1)>', '@org/security', '[click](http://evil.example)', '| pipe | cell'])
      expect(seen, r.describe()).toContain(part);
    // ...and is inert there.
    expect(md, 'no control or direction-changing character').not.toMatch(INVISIBLE);
    const live = liveText(md);
    expect(live, 'no live mention').not.toMatch(/@/);
    expect(live, 'no live HTML').not.toMatch(/(?<!\\)</);
    expect(live, 'no live link or image').not.toMatch(/(?<!\\)\[|(?<!\\):\/\/|\bwww\./);
    for (const line of md.split('\n')) expect(line, 'no injected line').not.toMatch(/^(# Injected|- injected|> injected|<\/details>)/);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| App') && !l.startsWith('| ---'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(cells(row), row).toHaveLength(4);
    expect(md).not.toContain('\u200b');
  });

  it('--format text: every control and direction-changing character is written out, every injected line stays on its own', () => {
    const r = checkEvil('text');
    expect(r.stdout, r.describe()).not.toMatch(INVISIBLE);
    expect(r.stdout).toContain('\\u202e');
    expect(r.stdout).toContain('\\u001b');
    expect(r.stdout).toContain('line\\n# Injected heading');
    for (const line of r.stdout.split('\n')) expect(line).not.toMatch(/^(# Injected|- injected|> injected)/);
  });
});
