import { describe, expect, it } from 'vitest';
import { checkObjectSchema, validateAgainstSchema } from './json-schema';
import { DEFAULT_EVENT_TYPES } from './catalog';

const compound = DEFAULT_EVENT_TYPES[0].schema;
const investigation = DEFAULT_EVENT_TYPES[1].schema;

describe('validateAgainstSchema', () => {
  it('accepts the shipped samples', () => {
    for (const t of DEFAULT_EVENT_TYPES) expect(validateAgainstSchema(t.schema, t.sample)).toEqual([]);
  });

  it('lists every problem as a readable sentence', () => {
    expect(validateAgainstSchema(compound, { id: 'c1', category: 'x', efficacy: 1.5 })).toEqual([
      "data must have required property 'name'",
      '/efficacy must be <= 1',
    ]);
    expect(validateAgainstSchema(investigation, { ...DEFAULT_EVENT_TYPES[1].sample, investigation_id: 'nope', status: { approval_state: 'MAYBE' } })).toEqual([
      '/investigation_id must match format "uuid"',
      "/status must have required property 'processing_state'",
      '/status/approval_state must be equal to one of the allowed values: "AI_CLEARED", "AI_ESCALATED"',
    ]);
    expect(validateAgainstSchema({ type: 'object', additionalProperties: false }, { x: 1 })).toEqual(["data must NOT have additional properties: 'x'"]);
  });

  it('reads draft-07 schemas too, and caches compiled schemas by content', () => {
    const draft7 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { n: { type: 'integer' } } };
    expect(validateAgainstSchema(draft7, { n: 'x' })).toEqual(['/n must be integer']);
    expect(validateAgainstSchema(JSON.parse(JSON.stringify(draft7)), { n: 2 })).toEqual([]);
    const withId = (max: number) => ({ $id: 'https://example.com/s', type: 'object', properties: { n: { maximum: max } } });
    expect(validateAgainstSchema(withId(1), { n: 2 })).toEqual(['/n must be <= 1']);
    expect(validateAgainstSchema(withId(5), { n: 2 })).toEqual([]); // a second schema with the same $id
  });
});

describe('checkObjectSchema', () => {
  it('wants a compiling schema of type object', () => {
    expect(checkObjectSchema(compound)).toEqual([]);
    expect(checkObjectSchema({ type: 'array' })).toEqual([expect.stringMatching(/"type": "object"/)]);
    expect(checkObjectSchema([])).toEqual([expect.stringMatching(/must be a JSON object/)]);
    expect(checkObjectSchema({ type: 'object', properties: { a: { type: 'strnig' } } })).toEqual([expect.stringMatching(/not valid JSON Schema/)]);
    expect(checkObjectSchema({ type: 'object', requried: ['a'] })).toEqual([expect.stringMatching(/unknown keyword: "requried"/)]);
    expect(checkObjectSchema({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' })).toEqual([expect.stringMatching(/draft-07 or 2020-12/)]);
    expect(checkObjectSchema({ type: 'object', properties: { a: { $ref: 'https://example.com/remote.json' } } })).toEqual([expect.stringMatching(/not valid JSON Schema/)]);
  });
});
