/**
 * Tokenizer of the condition language (DESIGN.md section 3). Offsets are 0-based indexes into
 * the condition text, kept on every token so errors can point at the exact character.
 */
import { ConditionError } from '../../errors.js';

export interface Token {
  kind: 'string' | 'number' | 'word' | 'symbol' | 'end';
  /** The token as written. */
  text: string;
  /** The decoded value of a string or number token. */
  value?: string | number;
  start: number;
  end: number;
}

/** Words with a meaning of their own; everything else made of letters is a variable or list name. */
export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'include', 'subset_of', 'matches', 'true', 'false']);

const SYMBOLS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ','];

/** Symbols people bring from other languages, with what to write instead. */
const FOREIGN: Readonly<Record<string, string>> = {
  '&&': 'and',
  '||': 'or',
  '!': 'not',
  '=': '==',
};

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?/y;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const token = readString(text, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    const number = match(NUMBER, text, i);
    if (number !== undefined) {
      if (number.includes('.')) {
        throw new ConditionError('policy.syntax', `Only whole numbers can be used in conditions; "${number}" has a decimal point.`, i);
      }
      tokens.push({ kind: 'number', text: number, value: Number(number), start: i, end: i + number.length });
      i += number.length;
      continue;
    }
    const word = match(WORD, text, i);
    if (word !== undefined) {
      tokens.push({ kind: 'word', text: word, start: i, end: i + word.length });
      i += word.length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    const foreign = Object.keys(FOREIGN).find((s) => text.startsWith(s, i));
    if (foreign !== undefined && (symbol === undefined || foreign.length > symbol.length)) {
      throw new ConditionError(
        'policy.syntax',
        `"${foreign}" is not part of the condition language; write "${FOREIGN[foreign]}" instead.`,
        i,
      );
    }
    if (symbol === undefined) {
      throw new ConditionError('policy.syntax', `The character "${c}" is not allowed here. Put text values in double quotes.`, i);
    }
    tokens.push({ kind: 'symbol', text: symbol, start: i, end: i + symbol.length });
    i += symbol.length;
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

function match(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** A quoted text value: "..." or '...', with \" \' \\ escapes. */
function readString(text: string, start: number): Token {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && (text[i + 1] === quote || text[i + 1] === '\\')) i++;
    value += text[i];
    i++;
  }
  if (i >= text.length) {
    throw new ConditionError('policy.syntax', `This text value is not closed: add the missing ${quote} at its end.`, start);
  }
  return { kind: 'string', text: text.slice(start, i + 1), value, start, end: i + 1 };
}
