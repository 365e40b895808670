// Worst cases that the event-type schema limits still allow, each against ~256 KiB of hostile data: prints the
// estimated cost the save-time check computed and the validation time on this thread (fastest of 3).
// Run: npx tsx bench/schemas.ts
import { validateAgainstSchema } from '@/lib/webhooks/json-schema';
import { MAX_UNIQUE_ITEMS, estimateValidationCost, schemaLimitProblem } from '@/lib/webhooks/schema-limits';

const KiB = 1024;
const fill = <T>(bytes: number, one: T): T[] => Array.from({ length: Math.floor(bytes / JSON.stringify(one).length) }, () => one);
const alternatives = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'object', required: [`k${i}`] }));
const props = (n: number, s: object) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, s]));

const cases: [string, Record<string, unknown>, unknown][] = [
  ['anyOf ×300 under items (maxItems 100)', { type: 'object', properties: { l: { type: 'array', maxItems: 100, items: { anyOf: alternatives(300) } } } }, { l: Array.from({ length: 100 }, () => ({ k299: 'x'.repeat(2400) })) }],
  ['anyOf ×120 under items (maxItems 100)', { type: 'object', properties: { l: { type: 'array', maxItems: 100, items: { anyOf: alternatives(120) } } } }, { l: Array.from({ length: 100 }, () => ({ k119: 'x'.repeat(2400) })) }],
  ['anyOf ×30 under items (no maxItems)', { type: 'object', properties: { l: { type: 'array', items: { anyOf: alternatives(30) } } } }, { l: fill(250 * KiB, { k29: 1 }) }],
  ['50 date-time properties under items', { type: 'object', properties: { l: { type: 'array', items: { type: 'object', properties: props(50, { type: 'string', format: 'date-time' }) } } } }, { l: fill(250 * KiB, { p0: '2024-01-15T10:30:45.000Z', p1: '2024-01-15T10:30:45.000Z' }) }],
  ['date-time over one 250 KiB string of spaces', { type: 'object', properties: { s: { type: 'string', format: 'date-time' } } }, { s: ' '.repeat(250 * KiB) }],
  ['enum ×200 for every property value', { type: 'object', additionalProperties: { enum: Array.from({ length: 200 }, (_, i) => `value-${i}`) } }, Object.fromEntries(Array.from({ length: 15_000 }, (_, i) => [`k${i}`, 'value-199x'])) ],
  [`uniqueItems, maxItems ${MAX_UNIQUE_ITEMS}, items differing at their end`, { type: 'object', properties: { l: { type: 'array', maxItems: MAX_UNIQUE_ITEMS, uniqueItems: true } } }, { l: Array.from({ length: MAX_UNIQUE_ITEMS }, (_, i) => ({ a: Array.from({ length: 900 }, () => 0), z: i })) }],
  ['uniqueItems over 30,000 strings (scalar items)', { type: 'object', properties: { l: { type: 'array', uniqueItems: true, items: { type: 'string' } } } }, { l: Array.from({ length: 30_000 }, (_, i) => `s${i}`) }],
  ['300-instruction pattern over 250 KiB of strings', { type: 'object', properties: { l: { type: 'array', items: { type: 'string', pattern: '[a-q][^u-z]{100}x' } } } }, { l: fill(250 * KiB, 'abcdefghijklmnopqrstuvwxyz'.repeat(40)) }],
  ['^(a+)+$ over a 250 KiB string', { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } }, { s: 'a'.repeat(250 * KiB) + '!' }],
  ['nested arrays, 4 levels of anyOf ×3', { type: 'object', properties: { l: nested(4) } }, { l: deepArrays(4) }],
];

function nested(levels: number): Record<string, unknown> {
  let s: Record<string, unknown> = { type: 'integer', minimum: 0 };
  for (let i = 0; i < levels; i++) s = { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'boolean' }, s] } };
  return s;
}
function deepArrays(levels: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < levels; i++) v = Array.from({ length: i === levels - 1 ? 8 : 20 }, () => v);
  return v;
}

console.log('case'.padEnd(52), 'data KiB'.padStart(9), 'cost (M)'.padStart(9), 'ms'.padStart(8), '  result');
for (const [name, schema, data] of cases) {
  const problem = schemaLimitProblem(schema);
  const kib = Math.round(JSON.stringify(data).length / KiB);
  const estimate = (estimateValidationCost(schema) / 1e6).toFixed(2).padStart(9);
  if (problem) {
    console.log(name.padEnd(52), String(kib).padStart(9), estimate, '       -', `  refused at save: ${problem.slice(0, 90)}`);
    continue;
  }
  let best = Infinity;
  let result: string[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = validateAgainstSchema(schema, data);
    best = Math.min(best, performance.now() - t0);
  }
  console.log(name.padEnd(52), String(kib).padStart(9), estimate, best.toFixed(1).padStart(8), `  ${result.length ? result[0]!.slice(0, 70) : 'valid'}`);
}
