import { RE2JS } from 're2js';

// Patterns of event-type schemas run on RE2 (re2js: pure JavaScript, linear-time matching), bounded in size.
export const MAX_PATTERN_LENGTH = 256; // characters of one pattern
export const MAX_PATTERN_PROGRAM = 500; // RE2 instructions of one pattern, estimated from its text before compiling, then counted

// A schema refused by a limit; its message is a sentence for the admin.
export class Refused extends Error {}
const refuse = (message: string): never => {
  throw new Refused(message);
};

// About how many RE2 instructions a pattern compiles to, read from its text without compiling it (compiling
// ".{1000}.{1000}…" itself takes long): each atom counts 1, times the repetition counts around it.
export function patternWeight(source: string): number {
  const frames: { sum: number; last: number }[] = [{ sum: 0, last: 0 }];
  const atom = (w: number) => {
    const f = frames[frames.length - 1]!;
    f.sum += w;
    f.last = w;
  };
  const repeat = (times: (w: number) => number) => {
    const f = frames[frames.length - 1]!;
    const w = times(f.last);
    f.sum += w - f.last;
    f.last = w;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const braced = /^\\[pPx]\{[^}]*\}/.exec(source.slice(i));
      i += braced ? braced[0].length - 1 : 1;
      atom(1);
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : source.startsWith('[:', j) ? Math.max(2, source.indexOf(':]', j) + 2 - j) : 1;
      i = j;
      atom(1);
    } else if (c === '(') frames.push({ sum: 0, last: 0 });
    else if (c === ')' && frames.length > 1) atom(frames.pop()!.sum);
    else if (c === '*' || c === '+' || c === '?') repeat((w) => w + 1);
    else if (c === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i))) {
      // {n}: n copies; {n,m}: n copies and m-n optional ones (two instructions each); {n,}: n copies and a loop
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i))!;
      const n = Number(m[1]);
      const max = m[3] ? Number(m[3]) : m[2] ? n + 1 : n;
      repeat((w) => w * Math.max(1, n + 2 * Math.max(0, max - n)));
      i += m[0].length - 1;
    } else if (c !== '|' && c !== '^' && c !== '$') atom(1);
  }
  return frames.reduce((n, f) => n + f.sum, 0);
}

// Compiles a pattern with RE2 (linear-time matching); throws Refused with a sentence when it is not allowed.
export function compilePattern(source: string, where: string): RE2JS {
  if (source.length > MAX_PATTERN_LENGTH) refuse(`the pattern at ${where} is ${source.length} characters long; shorten it to at most ${MAX_PATTERN_LENGTH}`);
  if (patternWeight(source) > MAX_PATTERN_PROGRAM) {
    refuse(`the pattern at ${where} is too complex (about ${patternWeight(source)} steps, at most ${MAX_PATTERN_PROGRAM}); use smaller repetition counts, like {1,50} instead of {1,1000}`);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (e) {
    return refuse(`the pattern at ${where} cannot be used (${(e as Error).message}); patterns run on RE2, which has no lookaround or backreferences`);
  }
  if (re.programSize() > MAX_PATTERN_PROGRAM) {
    refuse(`the pattern at ${where} is too complex (${re.programSize()} steps, at most ${MAX_PATTERN_PROGRAM}); use smaller repetition counts, like {1,50} instead of {1,1000}`);
  }
  return re;
}
