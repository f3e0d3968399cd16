/** The one "did you mean" every message uses: only plausible typos, case ignored, the name as written. */
import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../../src/core/did-you-mean.js';

describe('didYouMean', () => {
  it('suggests the closest name with a leading space, ready to append to a sentence', () => {
    expect(didYouMean('enviroment', ['owner', 'environment', 'name'])).toBe(' Did you mean "environment"?');
  });

  it('ignores letter case but names the candidate as it is written', () => {
    expect(didYouMean('Data_Types', ['data_types', 'name'])).toBe(' Did you mean "data_types"?');
    expect(closestName('PREAPPROVED_LIST', ['preapproved_list'])).toBe('preapproved_list');
  });

  it('allows at most a third of the word in edits: a short word gets one', () => {
    expect(closestName('nme', ['name'])).toBe('name');
    // "nmae" is two edits from "name": more than a third of four letters, so no guess.
    expect(didYouMean('nmae', ['name'])).toBe('');
  });

  it('never more than three edits, however long the word', () => {
    const word = 'connector_identifier_for_reading';
    expect(closestName(word.replace('for', 'fro').replace('ing', 'nig'), [word])).toBeUndefined();
    expect(closestName(word.replace('for', 'fro'), [word])).toBe(word);
  });

  it('says nothing when nothing is close, or there is nothing to choose from', () => {
    expect(didYouMean('payroll', ['openid', 'email'])).toBe('');
    expect(didYouMean('anything', [])).toBe('');
  });

  it('takes any iterable (the keys of a map) and, on a tie, the first candidate', () => {
    expect(
      didYouMean(
        'pi',
        new Map([
          ['pii', 1],
          ['phi', 2],
        ]).keys(),
      ),
    ).toBe(' Did you mean "pii"?');
  });
});
