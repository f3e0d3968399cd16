/** Issue 9, section 7: YAML and JSON syntax slips in plain words, at the line to change. */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/parse/parse-document.js';

const only = (path: string, text: string) => {
  const r = parseDocument(path, new TextEncoder().encode(text));
  expect(r.document).toBeUndefined();
  expect(r.findings).toHaveLength(1);
  const [f] = r.findings;
  return { code: f!.code, line: f!.line, column: f!.column, message: f!.message };
};

const HEAD = 'name: my-app\nowner: it-platform@example.com\nenvironment: sandbox\n'; // lines 1-3

describe('YAML syntax errors in plain words', () => {
  it('a field glued to its value: "add a space after \':\' on line 6"', () => {
    expect(only('registry/it/my-app.yaml', `${HEAD}auth:\n  type: oidc\n  provider:company-sso\n`)).toEqual({
      code: 'parse.syntax',
      line: 6,
      column: 11,
      message: "This is not valid YAML: add a space after ':' on line 6.",
    });
  });

  it('neighbour: a glued field at the top level, followed by more fields (line 2)', () => {
    expect(only('registry/it/my-app.yaml', 'name: my-app\nowner:it-platform@example.com\nenvironment: sandbox\n')).toEqual({
      code: 'parse.syntax',
      line: 2,
      column: 6,
      message: "This is not valid YAML: add a space after ':' on line 2.",
    });
  });

  it('text containing ": " unquoted: "put text containing \': \' in quotes"', () => {
    expect(only('registry/it/my-app.yaml', `${HEAD}description: Note: read-only\n`)).toEqual({
      code: 'parse.syntax',
      line: 4,
      column: 14,
      message: "This is not valid YAML: put text containing ': ' in quotes on line 4.",
    });
  });

  it('neighbour: the same slip inside a list item (links[].title)', () => {
    expect(only('registry/it/my-app.yaml', `${HEAD}links:\n  - title: Docs: main\n    url: https://example.com\n`)).toEqual({
      code: 'parse.syntax',
      line: 5,
      column: 12,
      message: "This is not valid YAML: put text containing ': ' in quotes on line 5.",
    });
  });

  it('a line indented more than the line above: "line 7 is indented more than the line above"', () => {
    expect(only('registry/it/my-app.yaml', `${HEAD}auth:\n  type: oidc\n  provider: company-sso\n    scopes: [openid]\n`)).toEqual({
      code: 'parse.syntax',
      line: 7,
      column: 5,
      message: 'This is not valid YAML: line 7 is indented more than the line above.',
    });
  });

  it('neighbour: a top-level field indented by mistake (line 3)', () => {
    expect(only('registry/it/my-app.yaml', 'name: my-app\nowner: it-platform@example.com\n  environment: sandbox\n')).toEqual({
      code: 'parse.syntax',
      line: 3,
      column: 3,
      message: 'This is not valid YAML: line 3 is indented more than the line above.',
    });
  });

  it("what is not one of these slips keeps the parser's own words (an unclosed quote)", () => {
    const f = only('registry/it/my-app.yaml', `${HEAD}description: "unclosed\n`);
    expect(f.code).toBe('parse.syntax');
    expect(f.message).toMatch(/^This is not valid YAML: /);
    expect(f.message).not.toMatch(/add a space|in quotes|indented more/);
  });
});

describe('JSON syntax errors in plain words', () => {
  it('a comma after the last list item: "remove the comma after the last item on line 8"', () => {
    const text =
      '{\n  "name": "my-app",\n  "owner": "it-platform@example.com",\n  "environment": "sandbox",\n  "tags": [\n    "a",\n    "b",\n    "c",\n  ]\n}\n';
    expect(only('registry/it/my-app.json', text)).toEqual({
      code: 'parse.syntax',
      line: 8,
      column: 8,
      message: 'This is not valid JSON: remove the comma after the last item on line 8.',
    });
  });

  it('neighbour: a comma after the last field of an object (line 4)', () => {
    const text = '{\n  "name": "my-app",\n  "owner": "it-platform@example.com",\n  "environment": "sandbox",\n}\n';
    expect(only('registry/it/my-app.json', text)).toEqual({
      code: 'parse.syntax',
      line: 4,
      column: 27,
      message: 'This is not valid JSON: remove the comma after the last item on line 4.',
    });
  });

  it('a missing comma keeps the general hint', () => {
    const f = only('registry/it/my-app.json', '{\n  "name": "my-app"\n  "owner": "x"\n}\n');
    expect(f.message).toBe('This is not valid JSON: a comma was expected. Check for a missing comma, quote or bracket near here.');
  });
});
