import type { WireFormat } from './types';

// Event data that a body cannot carry faithfully; the message names the path and says what to send instead.
export class EncodeError extends Error {
  constructor(
    message: string,
    public path: string,
  ) {
    super(message);
    this.name = 'EncodeError';
  }
}

// The parts of a stored event that go into a body.
export type EncodableEvent = { id: string; type: string; timestamp: Date; data: Record<string, unknown> };

// Keys the axle body puts beside data's own keys, so data may not use them.
const RESERVED = ['event_type', 'timestamp'];
const MAX_DEPTH = 200;

// The body bytes of one event in a format, exactly as DESIGN.md shows them; throws EncodeError for data
// that JSON.stringify would drop, change or reorder, so JSON.stringify(JSON.parse(body)) === body holds.
export function encodeBody(format: WireFormat, event: EncodableEvent): string {
  if (typeof event?.id !== 'string' || event.id === '') throw new EncodeError('event.id must be a non-empty string.', 'id');
  if (typeof event.type !== 'string' || event.type === '') {
    throw new EncodeError('event.type must be a non-empty string such as "compound.created".', 'type');
  }
  const timestamp = event.timestamp;
  if (!(timestamp instanceof Date) || Number.isNaN(timestamp.getTime())) {
    throw new EncodeError('event.timestamp must be a valid Date (the event creation time).', 'timestamp');
  }
  const data = event.data;
  if (!isPlainObject(data)) {
    throw new EncodeError(`data must be a plain JSON object, not ${kind(data)}: wrap the value, e.g. { "value": … }.`, 'data');
  }
  for (const key of Object.keys(data)) {
    if (RESERVED.includes(key)) {
      throw new EncodeError(
        `data.${key} is reserved: the axle body puts "event_type" and "timestamp" beside data's keys. Rename it (e.g. "${key}_value").`,
        `data.${key}`,
      );
    }
    if (isArrayIndex(key)) {
      throw new EncodeError(
        `data["${key}"] is an integer-like key, which JavaScript moves to the front of the object, so the body would not keep the key order. Use a key that starts with a letter (e.g. "n${key}").`,
        `data["${key}"]`,
      );
    }
  }
  check(data, [], new Set());
  const ts = JSON.stringify(timestamp.toISOString());
  const id = JSON.stringify(event.id);
  const type = JSON.stringify(event.type);
  const json = JSON.stringify(data);
  switch (format) {
    case 'standard':
      return `{"id":${id},"type":${type},"timestamp":${ts},"data":${json}}`;
    case 'axifi':
      return `{"id":${id},"event":${type},"timestamp":${ts},"data":${json}}`;
    case 'axle':
      return json === '{}'
        ? `{"event_type":${type},"timestamp":${ts}}`
        : `{"event_type":${type},${json.slice(1, -1)},"timestamp":${ts}}`;
    default:
      throw new Error(`unknown format ${JSON.stringify(format)}: expected "standard", "axifi" or "axle".`);
  }
}

// Walks the data; `at` holds the keys and indices from data down to the value, made into a path ("data.items[3]")
// only for an error: building it for every value was most of this walk's time (checkData runs it on every publish).
function check(value: unknown, at: (string | number)[], parents: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) refuse(at, (path) => `${path} is ${value}, which JSON cannot represent (it would become null). Send null or a string instead.`);
      return;
    case 'bigint':
      refuse(at, (path) => `${path} is a BigInt, which JSON.stringify cannot encode. Send it as a string ("${value}") or a Number.`);
    case 'undefined':
      refuse(at, (path) => `${path} is undefined, which JSON drops (or turns into null in arrays). Remove it or use null.`);
    case 'function':
    case 'symbol':
      refuse(at, (path) => `${path} is a ${typeof value}, which JSON cannot carry. Remove it or send a string.`);
  }
  if (value === null) return;
  const object = value as object;
  if (at.length >= MAX_DEPTH) refuse(at, (path) => `${path} is nested more than ${MAX_DEPTH} levels deep; flatten the data.`);
  if (parents.has(object)) refuse(at, (path) => `${path} refers back to one of its parents (a cycle), which JSON cannot encode.`);
  if (Array.isArray(object) && Object.getPrototypeOf(object) === Array.prototype) {
    parents.add(object);
    for (let i = 0; i < object.length; i++) {
      at.push(i);
      if (!(i in object)) refuse(at, (path) => `${path} is an empty slot of a sparse array (JSON would send null). Fill it or use null.`);
      check(object[i], at, parents);
      at.pop();
    }
    parents.delete(object);
    return;
  }
  if (!isPlainObject(object)) {
    const hint = object instanceof Date ? ' Send date.toISOString() instead.' : ' Convert it to a plain object, array or string first.';
    refuse(at, (path) => `${path} is ${kind(object)}, not plain JSON data.${hint}`);
  }
  if (Object.getOwnPropertySymbols(object).length > 0) refuse(at, (path) => `${path} has symbol keys, which JSON drops. Use string keys.`);
  parents.add(object);
  for (const key of Object.keys(object)) {
    at.push(key);
    check((object as Record<string, unknown>)[key], at, parents);
    at.pop();
  }
  parents.delete(object);
}

// Throws the EncodeError of the value at `at`, its message made with the value's path.
function refuse(at: readonly (string | number)[], message: (path: string) => string): never {
  const path = pathOf(at);
  throw new EncodeError(message(path), path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// Canonical array indices ("0", "1", … below 2^32 - 1) are the keys JavaScript orders before all others.
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;
}

// "data", then .key for an identifier, ["key"] for any other key, [i] for an array index.
function pathOf(at: readonly (string | number)[]): string {
  let path = 'data';
  for (const k of at) {
    path += typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
  }
  return path;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name ? `a ${name}` : 'an object with a custom prototype';
}
