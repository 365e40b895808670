import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import equal from 'ajv/dist/runtime/equal';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import uri from 'ajv/dist/runtime/uri';
import ValidationError from 'ajv/dist/runtime/validation_error';
import { FORMAT_STEPS, MAX_TEXT_WORK, compilePattern, schemaLimitProblem } from './schema-limits';

// JSON Schema for event data: 2020-12 by default, draft-07 when the schema says so; formats (uuid, email, date-time…)
// checked. Schemas are bounded when saved (./schema-limits.ts) and compiled there in a worker thread with a deadline
// (./schema-compile.ts); here they are compiled once per distinct text and run on the calling thread.
export const AJV_OPTIONS: Options = {
  allErrors: false, // stop at the first problem: allErrors makes work and memory grow with the data
  strictSchema: true, // an unknown keyword is most often a typo ("requried"): say so when the schema is saved
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  addUsedSchema: false, // two versions of a schema may share an $id
  validateFormats: true,
  inlineRefs: false, // a "$ref" is a call, never a copy: no inlining bomb
  code: { optimize: false }, // its optimization passes make compiling large schemas several times slower
  loopRequired: 20,
  loopEnum: 20,
};
export const EXTRA_KEYWORDS = ['example', 'x-examples'];
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;
const DRAFT_2020 = /^https:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;
const CACHE_LIMIT = 500;
// Data up to this size gets every problem listed when it fails (a second pass with allErrors); larger data, the first.
export const DETAILED_ERRORS_MAX_BYTES = 4 * 1024;

class TextBudgetExceeded extends Error {}
let textWork = 0;
// Spends text steps of the current validation; past MAX_TEXT_WORK the validation stops.
function spend(steps: number): void {
  textWork += steps;
  if (textWork > MAX_TEXT_WORK) throw new TextBudgetExceeded();
}

// Patterns run on RE2 (linear time), each test paid for from the validation's text budget.
function re2RegExp(source: string): { test: (s: string) => boolean; toString: () => string } {
  const re = compilePattern(source, 'pattern');
  const size = re.programSize();
  return {
    toString: () => `re2:${source}`, // ajv keys compiled patterns by this text
    test(s: string) {
      spend(size * (s.length + 1));
      return re.test(s);
    },
  };
}
re2RegExp.code = 'require("hookrelay:re2")';

type FormatTest = RegExp | ((s: unknown) => boolean);
const paid = (t: FormatTest) => {
  const check = t instanceof RegExp ? (s: unknown) => t.test(s as string) : t;
  return (s: unknown) => (spend(FORMAT_STEPS * ((typeof s === 'string' ? s.length : 0) + 1)), check(s));
};
// ajv-formats' formats (native regular expressions and parsers, linear on their inputs), paid for per character;
// each keeps its shape (a RegExp becomes an object with test) so code ajv generated for the originals runs on them.
const BUDGETED_FORMATS: Record<string, unknown> = Object.fromEntries(
  Object.entries(fullFormats).map(([name, f]) => {
    if (f instanceof RegExp) return [name, { test: paid(f) }];
    if (typeof f === 'function') return [name, paid(f as FormatTest)];
    const v = (f as { validate: FormatTest }).validate;
    return [name, { ...(f as object), validate: v instanceof RegExp ? { test: paid(v) } : paid(v) }];
  }),
);
// The same as format definitions for ajv.addFormat, when this thread compiles a schema itself.
function budgetedFormats(a: Ajv | Ajv2020): void {
  for (const [name, f] of Object.entries(fullFormats)) {
    if (f instanceof RegExp || typeof f === 'function') a.addFormat(name, paid(f as FormatTest) as never);
    else a.addFormat(name, { ...(f as object), validate: paid((f as { validate: FormatTest }).validate) } as never);
  }
}

// What code that ajv generated in the compile worker (standalone) may require, all paid for from the budget.
const STANDALONE_MODULES: Record<string, unknown> = {
  'hookrelay:re2': re2RegExp,
  'ajv-formats/dist/formats': { fullFormats: BUDGETED_FORMATS },
  'ajv/dist/runtime/equal': { default: equal },
  'ajv/dist/runtime/ucs2length': { default: ucs2length },
  'ajv/dist/runtime/uri': { default: uri },
  'ajv/dist/runtime/validation_error': { default: ValidationError },
};
// The name under which generated code requires the RE2 pattern factory.
export const RE2_MODULE = 'hookrelay:re2';

// Loads a validator from standalone code made by ajv in the compile worker (no compiling on this thread).
function loadStandalone(code: string): ValidateFunction {
  const mod: { exports: unknown } = { exports: {} };
  const require = (name: string) => {
    if (!(name in STANDALONE_MODULES)) throw new Error(`generated code needs ${name}`);
    return STANDALONE_MODULES[name];
  };
  new Function('module', 'exports', 'require', code)(mod, mod.exports, require);
  return mod.exports as ValidateFunction;
}

// Puts validators compiled elsewhere (by the compile worker) in the cache for this schema's text.
export function cacheCompiled(schema: object, code: { fast: string; detailed: string }): void {
  const text = JSON.stringify(schema);
  if (byText.has(text)) return;
  if (schemaLimitProblem(schema as Record<string, unknown>)) return;
  let entry: Compiled;
  try {
    entry = { fast: loadStandalone(code.fast), detailed: loadStandalone(code.detailed) };
  } catch {
    return; // compiled on this thread at first use instead
  }
  remember(text, entry);
}

// Whether this schema's text already has validators (or a verdict) in the cache.
export function isCached(schema: object): boolean {
  return byObject.has(schema) || byText.has(JSON.stringify(schema));
}

// Records a schema text as unusable, with why (the compile worker refused it).
export function cacheUnusable(schema: object, why: string): void {
  remember(JSON.stringify(schema), { unusable: why });
}

type Engines = { draft07: Ajv; draft2020: Ajv2020 };
const engines: Partial<Record<'fast' | 'detailed', Engines>> = {};

function engine(schema: Record<string, unknown>, kind: 'fast' | 'detailed' = 'fast'): Ajv | Ajv2020 {
  const e = (engines[kind] ??= (() => {
    const options: Options = { ...AJV_OPTIONS, allErrors: kind === 'detailed', code: { ...AJV_OPTIONS.code, regExp: re2RegExp } };
    const draft07 = new Ajv(options);
    const draft2020 = new Ajv2020(options);
    for (const a of [draft07, draft2020]) {
      addFormats(a);
      budgetedFormats(a);
      a.addVocabulary(EXTRA_KEYWORDS);
    }
    return { draft07, draft2020 };
  })());
  const declared = schema.$schema;
  if (declared === undefined || (typeof declared === 'string' && DRAFT_2020.test(declared))) return e.draft2020;
  if (typeof declared === 'string' && DRAFT_07.test(declared)) return e.draft07;
  throw new Error(`"$schema" must be draft-07 or 2020-12 (or left out for 2020-12); got ${JSON.stringify(declared)}`);
}

type Compiled = { fast: ValidateFunction; detailed?: ValidateFunction } | { unusable: string };
const byObject = new WeakMap<object, Compiled>();
const byText = new Map<string, Compiled>();

function remember(text: string, c: Compiled): void {
  if (byText.size >= CACHE_LIMIT) byText.delete(byText.keys().next().value!);
  byText.set(text, c);
}

// Compiles once per distinct schema (by identity, then by its JSON text). A schema over the limits (one saved before
// they existed) is not compiled at all: it is reported as unusable until an admin saves it again.
function compile(schema: object): Compiled {
  const hit = byObject.get(schema);
  if (hit) return hit;
  const text = JSON.stringify(schema);
  let c = byText.get(text);
  if (!c) {
    const problem = schemaLimitProblem(schema as Record<string, unknown>);
    if (problem) c = { unusable: problem };
    else {
      try {
        c = { fast: engine(schema as Record<string, unknown>).compile(schema) };
      } catch (e) {
        c = { unusable: (e as Error).message };
      }
    }
    remember(text, c);
  }
  byObject.set(schema, c);
  return c;
}

// Why a stored schema cannot be used for validation (over today's limits, or not compiling); undefined when it can.
export function schemaUnusable(schema: object): string | undefined {
  const c = compile(schema);
  return 'unusable' in c ? c.unusable : undefined;
}

// One validation error as a sentence ("/efficacy must be <= 1").
export function sentence(e: Pick<ErrorObject, 'instancePath' | 'message' | 'keyword' | 'params'>): string {
  const where = e.instancePath || 'data';
  const p = e.params as Record<string, unknown>;
  let text = `${where} ${e.message ?? 'is invalid'}`;
  if (e.keyword === 'additionalProperties') text += `: '${String(p.additionalProperty)}'`;
  else if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) text += `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  else if (e.keyword === 'const') text += `: ${JSON.stringify(p.allowedValue)}`;
  return text;
}

function run(validate: ValidateFunction, data: unknown): string[] | 'budget' {
  textWork = 0;
  try {
    return validate(data) ? [] : [...new Set((validate.errors ?? []).map(sentence))];
  } catch (e) {
    if (e instanceof TextBudgetExceeded) return 'budget';
    throw e;
  }
}

// The problems of `data` against `schema` as readable sentences ("/efficacy must be <= 1"); empty when valid.
export function validateAgainstSchema(schema: object, data: unknown): string[] {
  const c = compile(schema);
  if ('unusable' in c) return [`The schema cannot be used: ${c.unusable}`];
  let problems = run(c.fast, data);
  if (problems.length && problems !== 'budget' && Buffer.byteLength(JSON.stringify(data) ?? '') <= DETAILED_ERRORS_MAX_BYTES) {
    c.detailed ??= engine(schema as Record<string, unknown>, 'detailed').compile(schema);
    problems = run(c.detailed, data);
  }
  if (problems === 'budget') {
    return [`data has more text than the schema's patterns and formats may check in one event (${MAX_TEXT_WORK.toLocaleString('en-US')} steps); send shorter strings, or ask an admin for fewer or simpler patterns`];
  }
  return problems;
}

// The problems of a schema for event data that can be told without compiling it: it must be a JSON Schema
// (draft-07 or 2020-12) within Hookrelay's limits that describes an object (`"type": "object"`).
export function checkObjectSchema(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return ['The schema must be a JSON object, such as {"type": "object", "properties": {…}}.'];
  }
  const problems: string[] = [];
  const limit = schemaLimitProblem(schema as Record<string, unknown>);
  if (limit) return [`The schema is not valid JSON Schema for an event type: ${limit}.`];
  try {
    const ajv = engine(schema as Record<string, unknown>);
    textWork = 0; // the meta-schema checks formats too; the schema text is at most 64 KiB
    if (!ajv.validateSchema(schema)) {
      const firstPerPath = new Map<string, ErrorObject>();
      for (const e of ajv.errors ?? []) if (!firstPerPath.has(e.instancePath)) firstPerPath.set(e.instancePath, e);
      const shown = [...firstPerPath.values()].filter((e, _i, all) => all.length === 1 || !['anyOf', 'oneOf'].includes(e.keyword));
      return [`The schema is not valid JSON Schema: ${shown.slice(0, 3).map((e) => sentence(e).replace(/^data\b/, 'schema').replace(/^\//, 'schema/')).join('; ')}.`];
    }
  } catch (e) {
    problems.push(`The schema is not valid JSON Schema: ${(e as Error).message}.`);
  }
  if ((schema as Record<string, unknown>).type !== 'object') {
    problems.push('The schema must have "type": "object" at the top level: event data is always a JSON object.');
  }
  return problems;
}
