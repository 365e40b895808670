import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

// JSON Schema for event data: 2020-12 by default, draft-07 when the schema says so; formats (uuid, email, date-time…) checked.
const OPTIONS: Options = {
  allErrors: true,
  strictSchema: true, // an unknown keyword is most often a typo ("requried"): say so when the schema is saved
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  addUsedSchema: false, // two versions of a schema may share an $id
  validateFormats: true,
};
const EXTRA_KEYWORDS = ['example', 'x-examples'];
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;
const DRAFT_2020 = /^https:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;
const CACHE_LIMIT = 500;

let engines: { draft07: Ajv; draft2020: Ajv2020 } | undefined;
const byObject = new WeakMap<object, ValidateFunction>();
const byText = new Map<string, ValidateFunction>();

function engine(schema: Record<string, unknown>): Ajv | Ajv2020 {
  engines ??= (() => {
    const draft07 = new Ajv(OPTIONS);
    const draft2020 = new Ajv2020(OPTIONS);
    for (const a of [draft07, draft2020]) {
      addFormats(a);
      a.addVocabulary(EXTRA_KEYWORDS);
    }
    return { draft07, draft2020 };
  })();
  const declared = schema.$schema;
  if (declared === undefined || (typeof declared === 'string' && DRAFT_2020.test(declared))) return engines.draft2020;
  if (typeof declared === 'string' && DRAFT_07.test(declared)) return engines.draft07;
  throw new Error(`"$schema" must be draft-07 or 2020-12 (or left out for 2020-12); got ${JSON.stringify(declared)}`);
}

// Compiles once per distinct schema (by identity, then by its JSON text); throws when the schema itself is invalid.
function compile(schema: object): ValidateFunction {
  const hit = byObject.get(schema);
  if (hit) return hit;
  const text = JSON.stringify(schema);
  let fn = byText.get(text);
  if (!fn) {
    fn = engine(schema as Record<string, unknown>).compile(schema);
    if (byText.size >= CACHE_LIMIT) byText.delete(byText.keys().next().value!);
    byText.set(text, fn);
  }
  byObject.set(schema, fn);
  return fn;
}

function sentence(e: ErrorObject): string {
  const where = e.instancePath || 'data';
  const p = e.params as Record<string, unknown>;
  let text = `${where} ${e.message ?? 'is invalid'}`;
  if (e.keyword === 'additionalProperties') text += `: '${String(p.additionalProperty)}'`;
  else if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) text += `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  else if (e.keyword === 'const') text += `: ${JSON.stringify(p.allowedValue)}`;
  return text;
}

// The problems of `data` against `schema` as readable sentences ("/efficacy must be <= 1"); empty when valid.
export function validateAgainstSchema(schema: object, data: unknown): string[] {
  let validate: ValidateFunction;
  try {
    validate = compile(schema);
  } catch (e) {
    return [`The schema cannot be used: ${(e as Error).message}`];
  }
  if (validate(data)) return [];
  return [...new Set((validate.errors ?? []).map(sentence))];
}

// The problems of a schema for event data: it must compile and describe an object (`"type": "object"`).
export function checkObjectSchema(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return ['The schema must be a JSON object, such as {"type": "object", "properties": {…}}.'];
  }
  const problems: string[] = [];
  try {
    const ajv = engine(schema as Record<string, unknown>);
    if (!ajv.validateSchema(schema)) {
      const firstPerPath = new Map<string, ErrorObject>();
      for (const e of ajv.errors ?? []) if (!firstPerPath.has(e.instancePath)) firstPerPath.set(e.instancePath, e);
      const shown = [...firstPerPath.values()].filter((e, _i, all) => all.length === 1 || !['anyOf', 'oneOf'].includes(e.keyword));
      return [`The schema is not valid JSON Schema: ${shown.slice(0, 3).map((e) => sentence(e).replace(/^data\b/, 'schema').replace(/^\//, 'schema/')).join('; ')}.`];
    }
    compile(schema);
  } catch (e) {
    let message = (e as Error).message.replace(/^strict mode: /, '');
    if (/can't resolve reference/.test(message)) message += '; only references inside the schema (like #/$defs/name) are supported';
    problems.push(`The schema is not valid JSON Schema: ${message}.`);
  }
  if ((schema as Record<string, unknown>).type !== 'object') {
    problems.push('The schema must have "type": "object" at the top level: event data is always a JSON object.');
  }
  return problems;
}
