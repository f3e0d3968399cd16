/**
 * Recursive-descent parser of the condition language. Grammar, loosest binding first:
 *
 *   condition  := or
 *   or         := and ("or" and)*
 *   and        := not ("and" not)*
 *   not        := "not" not | comparison
 *   comparison := operand [ op operand | "include" values ]
 *   op         := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in" | "subset_of" | "matches"
 *   values     := operand ( ("or" | "and") literal )*     -- one joiner throughout
 *   operand    := text | number | "true" | "false" | name | "[" [literal ("," literal)*] "]" | "(" or ")"
 *
 * `include` takes one value, or several joined by "or" (any of them) or "and" (all of them): in
 * `data_types include "pii" or "financial_write"` the "or" belongs to include because a literal
 * follows it; `data_types include "pii" or environment == "x"` is an ordinary "or".
 */
import { closestName } from '../../did-you-mean.js';
import { ConditionError } from '../../errors.js';
import { KEYWORDS, tokenize, type Token } from './tokenize.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'subset_of' | 'matches';

interface Span {
  start: number;
  end: number;
}

export type Node = Span &
  (
    | { kind: 'literal'; value: string | number | boolean }
    | { kind: 'list'; items: Array<Span & { kind: 'literal'; value: string | number | boolean }> }
    | { kind: 'name'; name: string }
    | { kind: 'not'; operand: Node }
    | { kind: 'and' | 'or'; left: Node; right: Node }
    | { kind: 'compare'; op: CompareOp; opStart: number; left: Node; right: Node }
    | { kind: 'include'; mode: 'any' | 'all'; opStart: number; left: Node; values: Node[] }
  );

export type LiteralNode = Extract<Node, { kind: 'literal' }>;

const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'subset_of', 'matches', 'include'];
/** Deep nesting is never needed in a policy and would only cost stack. */
const MAX_DEPTH = 32;

export function parseCondition(text: string): Node {
  return new Parser(tokenize(text)).parseAll();
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Node {
    if (this.peek().kind === 'end') throw new ConditionError('policy.syntax', 'This condition is empty.', 0);
    const node = this.or();
    const next = this.peek();
    if (next.kind !== 'end') throw this.unexpected(next, 'the end of the condition, "and" or "or"');
    return node;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return token;
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === 'word' && token.text === word;
  }

  private or(): Node {
    let left = this.and();
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      const right = this.and();
      left = { kind: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      const right = this.not();
      left = { kind: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private not(): Node {
    const token = this.peek();
    if (this.isWord(token, 'not')) {
      this.next();
      const operand = this.nested(() => this.not());
      return { kind: 'not', operand, start: token.start, end: operand.end };
    }
    return this.comparison();
  }

  private comparison(): Node {
    const left = this.operand();
    const token = this.peek();
    const opStart = token.start;
    let op: CompareOp | 'include' | undefined;
    if (token.kind === 'symbol' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text)) op = token.text as CompareOp;
    else if (this.isWord(token, 'not') && this.isWord(this.peek(1), 'in')) op = 'not in';
    else if (token.kind === 'word' && ['in', 'subset_of', 'matches', 'include'].includes(token.text)) op = token.text as CompareOp;
    if (op === undefined) {
      if (token.kind === 'word' && !KEYWORDS.has(token.text)) throw this.unexpectedOperator(token, left);
      if (token.kind === 'string' || token.kind === 'number') throw this.unexpectedOperator(token, left);
      return left;
    }
    this.next();
    if (op === 'not in') this.next();
    if (op === 'include') return this.include(left, opStart);
    const right = this.operand();
    return { kind: 'compare', op, opStart, left, right, start: left.start, end: right.end };
  }

  private include(left: Node, opStart: number): Node {
    const values = [this.operand()];
    let mode: 'any' | 'all' | undefined;
    // A joiner belongs to include only when a literal value follows it.
    while ((this.isWord(this.peek(), 'or') || this.isWord(this.peek(), 'and')) && isLiteralToken(this.peek(1))) {
      const joiner = this.next();
      const joined = joiner.text === 'or' ? 'any' : 'all';
      if (mode !== undefined && mode !== joined) {
        throw new ConditionError(
          'policy.syntax',
          'An "include" list must use only "or" (any of the values) or only "and" (all of them), not both. Split it into two conditions.',
          joiner.start,
        );
      }
      mode = joined;
      values.push(this.operand());
    }
    const last = values[values.length - 1]!;
    return { kind: 'include', mode: mode ?? 'any', opStart, left, values, start: left.start, end: last.end };
  }

  private operand(): Node {
    const token = this.next();
    if (token.kind === 'string' || token.kind === 'number')
      return { kind: 'literal', value: token.value!, start: token.start, end: token.end };
    if (this.isWord(token, 'true') || this.isWord(token, 'false')) {
      return { kind: 'literal', value: token.text === 'true', start: token.start, end: token.end };
    }
    if (token.kind === 'word' && !KEYWORDS.has(token.text)) return { kind: 'name', name: token.text, start: token.start, end: token.end };
    if (token.kind === 'symbol' && token.text === '(') {
      const inner = this.nested(() => this.or());
      const close = this.next();
      if (close.text !== ')' || close.kind !== 'symbol') throw this.unexpected(close, 'a closing ")"');
      return { ...inner, start: token.start, end: close.end };
    }
    if (token.kind === 'symbol' && token.text === '[') return this.list(token);
    throw this.unexpected(token, 'a value, a variable or a list name');
  }

  private list(open: Token): Node {
    const items: Array<Span & { kind: 'literal'; value: string | number | boolean }> = [];
    while (!(this.peek().kind === 'symbol' && this.peek().text === ']')) {
      const token = this.next();
      if (!isLiteralToken(token)) throw this.unexpected(token, 'a value in quotes, or "]"');
      const value = token.kind === 'word' ? token.text === 'true' : token.value!;
      items.push({ kind: 'literal', value, start: token.start, end: token.end });
      const separator = this.peek();
      if (separator.kind === 'symbol' && separator.text === ',') this.next();
      else if (!(separator.kind === 'symbol' && separator.text === ']')) throw this.unexpected(separator, '"," or "]"');
    }
    const close = this.next();
    return { kind: 'list', items, start: open.start, end: close.end };
  }

  private nested(parse: () => Node): Node {
    if (++this.depth > MAX_DEPTH)
      throw new ConditionError('policy.syntax', 'This condition is nested too deeply. Simplify it.', this.peek().start);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private unexpected(token: Token, expected: string): ConditionError {
    const found = token.kind === 'end' ? 'the end of the condition' : `"${token.text}"`;
    return new ConditionError('policy.syntax', `Expected ${expected} here, but found ${found}.`, token.start);
  }

  private unexpectedOperator(token: Token, left: Node): ConditionError {
    const guess = token.kind === 'word' ? closestName(token.text, OPERATORS) : undefined;
    const subject = left.kind === 'name' ? `"${left.name}"` : 'the value';
    const hint = guess ? ` Did you mean "${guess}"?` : ' Put text values in double quotes.';
    return new ConditionError(
      'policy.syntax',
      `Expected an operator (==, !=, <, >, in, not in, subset_of, include, matches) after ${subject}, but found "${token.text}".${hint}`,
      token.start,
    );
  }
}

function isLiteralToken(token: Token): boolean {
  return token.kind === 'string' || token.kind === 'number' || (token.kind === 'word' && (token.text === 'true' || token.text === 'false'));
}
