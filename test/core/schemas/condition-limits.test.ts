/**
 * The policy schema's condition lengths and the loader's MAX_CONDITION_LENGTH are one limit
 * written twice (schemas/policy.schema.json is published for editors): the schema's maxLength
 * error is deferred to the loader's plainer `policy.too-long` (src/core/schemas/deferred.ts),
 * which only works while the two numbers agree.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_CONDITION_LENGTH } from '../../../src/core/policy/compile-condition.js';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/policy.schema.json', import.meta.url), 'utf8'));
const rule = schema.properties.policy.items.properties;

describe('condition length limits', () => {
  it('a condition in conditions: the schema allows what the loader allows (surface language)', () => {
    expect(rule.conditions.items.maxLength).toBe(MAX_CONDITION_LENGTH.surface);
  });

  it('a when expression: the schema allows what the loader allows (CEL)', () => {
    expect(rule.when.maxLength).toBe(MAX_CONDITION_LENGTH.cel);
  });
});
