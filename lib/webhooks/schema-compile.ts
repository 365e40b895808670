import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { AJV_OPTIONS, EXTRA_KEYWORDS, RE2_MODULE, cacheCompiled, cacheUnusable, isCached, sentence } from './json-schema';
import { schemaLimitProblem } from './schema-limits';

// Compiling a schema at save time happens in a worker thread with a deadline and a memory cap, so that no schema
// can stall or crash the server even if it slips past the static limits (./schema-limits.ts).
export const SCHEMA_COMPILE_TIMEOUT_MS = 3_000; // from the moment the worker has loaded ajv
const WORKER_START_TIMEOUT_MS = 20_000; // loading ajv in a new thread: slow only on a very busy machine
export const SCHEMA_COMPILE_MEMORY_MB = 96; // the worker's old-generation heap
const MAX_RUNNING = 2;
const MAX_WAITING = 20;

// Plain CommonJS run by the worker: it loads ajv and re2js from the project's node_modules (not from the bundle),
// compiles the schema twice (first problem only, and every problem) into standalone code that the main thread
// loads without compiling (./json-schema.ts), and checks the sample.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const req = require('node:module').createRequire(workerData.base);
const Ajv = req(workerData.draft07 ? 'ajv' : 'ajv/dist/2020').default;
const addFormats = req('ajv-formats').default;
const standaloneCode = req('ajv/dist/standalone').default;
const { RE2JS } = req('re2js');
function regExp(source) { const re = RE2JS.compile(source); return { toString: () => 're2:' + source, test: (s) => re.test(s) }; }
regExp.code = 'require(' + JSON.stringify(workerData.re2Module) + ')';
parentPort.postMessage({ loaded: true });
function build(allErrors) {
  const ajv = new Ajv({ ...workerData.options, allErrors, code: { ...workerData.options.code, source: true, regExp } });
  addFormats(ajv);
  ajv.addVocabulary(workerData.keywords);
  const validate = ajv.compile(workerData.schema);
  return { validate, code: standaloneCode(ajv, validate) };
}
let result;
try {
  const fast = build(false);
  const detailed = build(true);
  let errors = [];
  if (workerData.checkSample && !detailed.validate(workerData.sample)) {
    errors = (detailed.validate.errors || []).slice(0, 50).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, message: e.message, params: JSON.parse(JSON.stringify(e.params)) }));
  }
  result = { compiled: true, errors, code: { fast: fast.code, detailed: detailed.code } };
} catch (e) {
  result = { compiled: false, message: String((e && e.message) || e).replace(/^strict mode: /, '') };
}
parentPort.postMessage(result);
`;

type Code = { fast: string; detailed: string };
type Outcome = { compiled: true; errors: Parameters<typeof sentence>[0][]; code: Code } | { compiled: false; message: string };
// What compiling a schema and checking a sample against it found: schema problems, or the sample's, or neither.
export type CompileCheck = { schema?: string[]; sample?: string[] };

let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) throw new Error('busy');
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

function runWorker(schema: Record<string, unknown>, sample: unknown, checkSample: boolean, timeoutMs: number): Promise<Outcome | 'timeout' | 'memory' | 'crashed'> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        base: path.join(process.cwd(), 'package.json'),
        draft07: typeof schema.$schema === 'string' && schema.$schema.includes('draft-07'),
        options: AJV_OPTIONS,
        keywords: EXTRA_KEYWORDS,
        re2Module: RE2_MODULE,
        schema,
        sample,
        checkSample,
      },
      resourceLimits: { maxOldGenerationSizeMb: SCHEMA_COMPILE_MEMORY_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    let done = false;
    const finish = (r: Outcome | 'timeout' | 'memory' | 'crashed') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    let timer = setTimeout(() => finish('timeout'), WORKER_START_TIMEOUT_MS);
    worker.on('message', (m: Outcome | { loaded: true }) => {
      if (!('loaded' in m)) return finish(m);
      clearTimeout(timer);
      timer = setTimeout(() => finish('timeout'), timeoutMs);
    });
    worker.once('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crashed'));
    worker.once('exit', () => finish('crashed'));
  });
}

// Compiles the schema and checks the sample against it off the main thread, within the deadline and memory cap;
// the validators it made go into the cache, so publishing compiles nothing on the main thread.
export async function compileSchemaBounded(
  schema: Record<string, unknown>,
  sample: unknown,
  opts: { timeoutMs?: number; checkSample?: boolean } = {},
): Promise<CompileCheck> {
  let release: () => void;
  try {
    release = await slot();
  } catch {
    return { schema: ['Too many schemas are being checked right now; save again in a few seconds.'] };
  }
  let r: Awaited<ReturnType<typeof runWorker>>;
  try {
    r = await runWorker(schema, sample, opts.checkSample ?? true, opts.timeoutMs ?? SCHEMA_COMPILE_TIMEOUT_MS);
  } finally {
    release();
  }
  const seconds = (opts.timeoutMs ?? SCHEMA_COMPILE_TIMEOUT_MS) / 1000;
  if (r === 'timeout') return { schema: [`The schema took longer than ${seconds} s to compile and was refused; simplify it (fewer keywords, "$ref"s and alternatives).`] };
  if (r === 'memory') return { schema: [`The schema needed more than ${SCHEMA_COMPILE_MEMORY_MB} MB to compile and was refused; simplify it (fewer keywords, "$ref"s and alternatives).`] };
  if (r === 'crashed') return { schema: ['The schema could not be compiled; simplify it and save again.'] };
  if (!r.compiled) {
    let message = r.message;
    if (/can't resolve reference/.test(message)) message += '; only references inside the schema (like #/$defs/name) are supported';
    return { schema: [`The schema is not valid JSON Schema: ${message}.`] };
  }
  cacheCompiled(schema, r.code);
  if (r.errors.length) return { sample: [...new Set(r.errors.map(sentence))] };
  return {};
}

// Makes sure a stored schema has validators before data is checked against it on the main thread: compiled in the
// worker when this process has not seen its text yet (after a start, or a save on another server). A schema that
// does not compile is remembered as unusable; after a timeout (a busy machine) the main thread compiles it at first
// use, which the save-time limits keep short.
export async function prepareSchema(schema: Record<string, unknown>): Promise<void> {
  if (isCached(schema) || schemaLimitProblem(schema)) return; // over the limits: reported without compiling
  const text = JSON.stringify(schema);
  let pending = preparing.get(text);
  if (!pending) {
    pending = compileSchemaBounded(schema, undefined, { checkSample: false }).then((r) => {
      const invalid = r.schema?.[0]?.startsWith('The schema is not valid JSON Schema: ');
      if (invalid) cacheUnusable(schema, r.schema![0]!.replace(/^The schema is /, 'it is ').replace(/\.$/, ''));
    }, () => undefined); // no worker: the main thread compiles it at first use
    preparing.set(text, pending);
    void pending.then(() => preparing.delete(text));
  }
  await pending;
}
const preparing = new Map<string, Promise<void>>();
