import { compilePattern, Refused } from './schema-patterns';

// What an event type's JSON Schema may contain, checked when it is saved, so that compiling it is cheap and
// validating ≤ 256 KiB of event data against it stays within tens of milliseconds on the server's main thread.
// Each cap is listed in the README's Security section.
export const MAX_SCHEMA_BYTES = 64 * 1024; // the schema's JSON text
export const MAX_SCHEMA_DEPTH = 64; // JSON nesting of the schema document
export const MAX_SCHEMA_KEYWORDS = 1_500; // keywords written in the schema (compiling costs about 0.1 ms each)
export const MAX_SCHEMA_REFS = 100; // "$ref"s, each to a local "#/…" pointer, never recursive
export const MAX_EXPANDED_KEYWORDS = 10_000; // keywords counted once per use of every "$ref"
export const MAX_ENUM_VALUES = 200; // values of one "enum"
export const MAX_PATTERNS = 50; // "pattern"s and "patternProperties" keys
export { MAX_PATTERN_LENGTH, MAX_PATTERN_PROGRAM, compilePattern, patternWeight } from './schema-patterns';
export const MAX_UNIQUE_ITEMS = 20; // "uniqueItems" needs "maxItems" at most this, unless its items have a scalar "type"
export const MAX_COUNT = 1_000_000; // ceiling of maxLength, maxItems, maxProperties, minX and maxContains
export const MAX_VALIDATION_COST = 3_000_000; // estimated keyword checks for the worst 256 KiB of data
// Text steps one validation may spend on patterns (compiled instructions × characters) and formats (FORMAT_STEPS
// × characters); past it the data is refused. Enough for ten passes of a 300-step pattern over 3,000 characters.
export const MAX_TEXT_WORK = 10_000_000;
export const FORMAT_STEPS = 16;

// A subschema that may fail without ending the validation (a branch of anyOf, oneOf, not, if, contains) builds an
// error object when it does: about a hundred times the cost of a passing check.
const ERROR_WEIGHT = 100;
const CAUGHT = /\/(anyOf|oneOf)\/\d+$|\/(not|if|contains)$/;

// The most JSON values 256 KiB of event data can hold ("[0,0,…]"), the reach of a keyword applied to all of them.
const MAX_DATA_NODES = 128 * 1024;

const ANNOTATIONS = ['$id', '$comment', 'title', 'description', 'default', 'examples', 'example', 'x-examples', 'deprecated', 'readOnly', 'writeOnly'];
const SCALAR_KEYWORDS = [
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'format', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains',
  'maxProperties', 'minProperties', 'required', 'dependentRequired',
];
const COUNTS = ['maxLength', 'minLength', 'maxItems', 'minItems', 'maxContains', 'minContains', 'maxProperties', 'minProperties'];
// Subschemas applied to the same value (overlap), to one member each (partition), or to every member (wide).
const SAME = ['not', 'if', 'then', 'else'];
const SAME_LISTS = ['allOf', 'anyOf', 'oneOf'];
const WIDE_ITEMS = ['additionalItems', 'contains'];
const WIDE_PROPS = ['additionalProperties', 'propertyNames'];
const CONTAINERS = ['$defs', 'definitions'];
const MAPS = ['properties', 'patternProperties', 'dependentSchemas'];
// Every keyword a schema may use; anything else is refused (a typo, or a feature that cannot be bounded).
export const ALLOWED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$ref', ...ANNOTATIONS, ...SCALAR_KEYWORDS, ...SAME, ...SAME_LISTS, ...WIDE_ITEMS, ...WIDE_PROPS,
  ...CONTAINERS, ...MAPS, 'items', 'prefixItems', 'dependencies',
]);

type Schema = Record<string, unknown> | boolean;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSchema = (v: unknown): v is Schema => typeof v === 'boolean' || isObject(v);
const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

// A JSON pointer short enough for a sentence.
const at = (path: string) => (path.length > 80 ? `…${path.slice(-80)}` : path || '/');
const refuse = (message: string): never => {
  throw new Refused(message);
};

// JSON values of an annotation, enum or const: how many nodes, and refused when nested deeper than the cap.
function valueNodes(v: unknown, where: string, what = 'the value'): number {
  let nodes = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    nodes++;
    if (depth > MAX_SCHEMA_DEPTH) refuse(`${what} at ${where} is nested more than ${MAX_SCHEMA_DEPTH} levels deep; flatten it`);
    if (typeof x === 'object' && x !== null) for (const c of Object.values(x)) stack.push([c, depth + 1]);
  }
  return nodes;
}

function resolveRef(root: Schema, ref: unknown, where: string): Schema {
  if (typeof ref !== 'string' || !(ref === '#' || ref.startsWith('#/'))) {
    return refuse(`"$ref" at ${where} must point inside the schema, like "#/$defs/name"; remote references are not supported`);
  }
  let node: unknown = root;
  for (const raw of ref === '#' ? [] : ref.slice(2).split('/')) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return refuse(`"$ref" at ${where} is not a valid JSON pointer: ${JSON.stringify(ref)}`);
    }
    node = typeof node === 'object' && node !== null && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (!isSchema(node)) refuse(`"$ref" at ${where} points to ${JSON.stringify(ref)}, which is not a schema in this document`);
  return node as Schema;
}

// Items of a scalar type let ajv check "uniqueItems" with a hash in one pass instead of comparing every pair.
function scalarItems(s: Record<string, unknown>): boolean {
  const items = s.items;
  if (!isObject(items)) return false;
  const types = Array.isArray(items.type) ? items.type : [items.type];
  return types.length > 0 && types.every((t) => ['string', 'number', 'integer', 'boolean', 'null'].includes(t as string));
}

type Child = { schema: Schema; path: string; kind: 'same' | 'part' | 'wide'; over?: 'maxItems' | 'maxProperties' };

// The subschemas of one schema object and how each applies to the value the schema checks.
function children(s: Record<string, unknown>, path: string): Child[] {
  const out: Child[] = [];
  const add = (v: unknown, p: string, kind: Child['kind'], over?: Child['over']) => {
    if (!isSchema(v)) refuse(`${p} must be a schema (an object or true/false)`);
    out.push({ schema: v as Schema, path: p, kind, over });
  };
  for (const k of SAME) if (k in s) add(s[k], `${path}/${k}`, 'same');
  for (const k of WIDE_ITEMS) if (k in s) add(s[k], `${path}/${k}`, 'wide', 'maxItems');
  for (const k of WIDE_PROPS) if (k in s) add(s[k], `${path}/${k}`, 'wide', 'maxProperties');
  for (const k of SAME_LISTS) {
    if (!(k in s)) continue;
    if (!Array.isArray(s[k]) || !(s[k] as unknown[]).length) refuse(`${path}/${k} must be a non-empty array of schemas`);
    (s[k] as unknown[]).forEach((v, i) => add(v, `${path}/${k}/${i}`, 'same'));
  }
  for (const k of ['prefixItems', 'items']) {
    if (!(k in s)) continue;
    if (Array.isArray(s[k])) (s[k] as unknown[]).forEach((v, i) => add(v, `${path}/${k}/${i}`, 'part'));
    else if (k === 'items') add(s[k], `${path}/${k}`, 'wide', 'maxItems');
    else refuse(`${path}/prefixItems must be an array of schemas`);
  }
  for (const k of [...MAPS, ...CONTAINERS, 'dependencies']) {
    if (!(k in s)) continue;
    if (!isObject(s[k])) refuse(`${path}/${k} must be an object`);
    for (const [name, v] of Object.entries(s[k] as Record<string, unknown>)) {
      const p = `${path}/${k}/${esc(name)}`;
      if (k === 'dependencies' && Array.isArray(v)) continue;
      if (CONTAINERS.includes(k)) {
        if (!isSchema(v)) refuse(`${p} must be a schema (an object or true/false)`);
        continue; // definitions are walked where they are referenced (and once on their own, below)
      }
      if (k === 'patternProperties') add(v, p, 'wide', 'maxProperties');
      else add(v, p, k === 'properties' ? 'part' : 'same');
    }
  }
  return out;
}

type Walk = {
  root: Schema;
  keywords: number;
  refs: number;
  patterns: number;
  expanded: Map<Schema, number>;
  weights: Map<Schema, number>;
  active: Set<Schema>;
};

// Checks one schema object's own keywords; returns its weight (checks per value it applies to).
function ownKeywords(s: Record<string, unknown>, path: string, w: Walk, isRoot: boolean): number {
  let weight = 1;
  for (const [k, v] of Object.entries(s)) {
    if (!ALLOWED_KEYWORDS.has(k)) {
      refuse(`unknown keyword: ${JSON.stringify(k)} at ${at(path)} (a typo, or a keyword Hookrelay does not allow, such as $dynamicRef or unevaluatedProperties)`);
    }
    if ((k === '$schema' || k === '$id') && !isRoot) refuse(`"${k}" is allowed only at the top of the schema, not at ${path}`);
    w.keywords++;
    weight++;
    if (COUNTS.includes(k) && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_COUNT)) {
      refuse(`"${k}" at ${at(path)} must be a whole number from 0 to ${MAX_COUNT.toLocaleString('en-US')}`);
    }
    if (k === 'enum') {
      if (!Array.isArray(v) || v.length > MAX_ENUM_VALUES) refuse(`"enum" at ${at(path)} must be an array of at most ${MAX_ENUM_VALUES} values`);
      weight += valueNodes(v, `${path}/enum`);
    } else if (k === 'const') weight += valueNodes(v, `${path}/const`);
    else if (['default', 'examples', 'example', 'x-examples'].includes(k)) valueNodes(v, `${path}/${k}`);
    else if (k === 'required' || k === 'dependentRequired') weight += valueNodes(v, `${path}/${k}`);
    else if (k === 'pattern') {
      if (typeof v !== 'string') refuse(`"pattern" at ${at(path)} must be a string`);
      if (++w.patterns > MAX_PATTERNS) refuse(`the schema has more than ${MAX_PATTERNS} patterns; use fewer`);
      compilePattern(v as string, `${path}/pattern`);
    } else if (k === 'format' && v === 'regex') {
      refuse(`"format": "regex" at ${at(path)} is not supported (it would compile regular expressions sent in event data); use "type": "string"`);
    } else if (k === 'patternProperties' && isObject(v)) {
      for (const p of Object.keys(v)) {
        if (++w.patterns > MAX_PATTERNS) refuse(`the schema has more than ${MAX_PATTERNS} patterns; use fewer`);
        compilePattern(p, `${path}/patternProperties`);
      }
    } else if (k === '$ref' && ++w.refs > MAX_SCHEMA_REFS) refuse(`the schema has more than ${MAX_SCHEMA_REFS} "$ref"s; use fewer`);
  }
  if (s.uniqueItems === true && !scalarItems(s) && !(typeof s.maxItems === 'number' && s.maxItems <= MAX_UNIQUE_ITEMS)) {
    refuse(
      `"uniqueItems" at ${at(path)} needs "maxItems" of at most ${MAX_UNIQUE_ITEMS} beside it, or "items" with a scalar "type" ` +
        '(string, number, integer, boolean): comparing every pair of a long array of objects is too slow',
    );
  }
  return weight;
}

// Expanded size (every "$ref" counted at each use), refusing recursive references; memoized per schema object.
function expand(s: Schema, path: string, w: Walk): number {
  if (typeof s === 'boolean') return 1;
  const known = w.expanded.get(s);
  if (known !== undefined) return known;
  if (w.active.has(s)) return refuse(`the "$ref" chain through ${at(path)} refers back to itself; recursive schemas are not supported`);
  w.active.add(s);
  const weight = ownKeywords(s, path, w, s === w.root);
  w.weights.set(s, weight);
  let size = weight;
  for (const c of children(s, path)) size += expand(c.schema, c.path, w);
  for (const k of CONTAINERS) {
    if (isObject(s[k])) for (const [name, d] of Object.entries(s[k] as Record<string, unknown>)) expand(d as Schema, `${path}/${k}/${esc(name)}`, w);
  }
  if ('$ref' in s) size += expand(resolveRef(w.root, s.$ref, path || '/'), `${path}/$ref`, w);
  w.active.delete(s);
  if (w.keywords > MAX_SCHEMA_KEYWORDS) refuse(`the schema has more than ${MAX_SCHEMA_KEYWORDS.toLocaleString('en-US')} keywords; split the event type or simplify it`);
  if (size > MAX_EXPANDED_KEYWORDS) {
    refuse(`with its "$ref"s expanded the schema has more than ${MAX_EXPANDED_KEYWORDS.toLocaleString('en-US')} keywords; reference shared definitions fewer times`);
  }
  w.expanded.set(s, size);
  return size;
}

// Upper bound of the keyword checks to validate the worst data against s, applied to `reach` values at once.
function cost(s: Schema, reach: number, w: Walk): number {
  if (typeof s === 'boolean') return reach;
  let total = reach * (w.weights.get(s) ?? 1);
  if (s.uniqueItems === true) total += scalarItems(s) ? MAX_DATA_NODES : ((Number(s.maxItems) - 1) / 2) * MAX_DATA_NODES; // pairs × values
  const width = (k: 'maxItems' | 'maxProperties') => (typeof s[k] === 'number' ? (s[k] as number) : MAX_DATA_NODES);
  let partSum = 0;
  let partMax = 0;
  for (const c of children(s, '')) {
    const failing = CAUGHT.test(c.path) ? ERROR_WEIGHT : 0;
    if (c.kind === 'same') total += cost(c.schema, reach, w) + reach * failing;
    else if (c.kind === 'wide') {
      const r = Math.min(MAX_DATA_NODES, reach * width(c.over!));
      total += cost(c.schema, r, w) + r * failing;
    }
    else {
      // each member of each value meets one of these; all of them together meet at most MAX_DATA_NODES values
      const one = cost(c.schema, 1, w);
      partSum += one;
      partMax = Math.max(partMax, one);
    }
  }
  total += Math.min(reach * partSum, MAX_DATA_NODES * partMax);
  if ('$ref' in s) total += cost(resolveRef(w.root, s.$ref, '/'), reach, w);
  return total;
}

// The estimated checks to validate the worst 256 KiB of data against a schema that is within the other limits.
export function estimateValidationCost(schema: Record<string, unknown>): number {
  const w: Walk = { root: schema, keywords: 0, refs: 0, patterns: 0, expanded: new Map(), weights: new Map(), active: new Set() };
  expand(schema, '', w);
  return cost(schema, 1, w);
}

// Why a schema may not be saved, as one sentence; undefined when it is within every limit.
export function schemaLimitProblem(schema: Record<string, unknown>): string | undefined {
  try {
    const bytes = Buffer.byteLength(JSON.stringify(schema));
    if (bytes > MAX_SCHEMA_BYTES) refuse(`the schema is ${Math.ceil(bytes / 1024)} KiB of JSON; at most ${MAX_SCHEMA_BYTES / 1024} KiB`);
    valueNodes(schema, '/', 'the schema');
    const w: Walk = { root: schema, keywords: 0, refs: 0, patterns: 0, expanded: new Map(), weights: new Map(), active: new Set() };
    expand(schema, '', w);
    const estimate = cost(schema, 1, w);
    if (estimate > MAX_VALIDATION_COST) {
      refuse(
        `checking the largest event data (256 KiB) against it could take about ${(estimate / 1e6).toFixed(1)} million steps ` +
          `(at most ${MAX_VALIDATION_COST / 1e6} million); give arrays a "maxItems" and objects a "maxProperties", or use fewer alternatives under "items"`,
      );
    }
    return undefined;
  } catch (e) {
    if (e instanceof Refused) return e.message;
    throw e;
  }
}
