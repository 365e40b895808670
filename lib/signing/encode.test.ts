import { describe, expect, it } from 'vitest';
import { encodeBody, EncodeError, WIRE_FORMATS, type WireFormat } from './index';

const timestamp = new Date('2024-01-15T10:30:45.000Z');
const compound = { id: 'compound-123', name: 'Aspirin', category: 'analgesic', efficacy: 0.92 };
const investigation = {
  investigation_id: '14c08b5d-e32c-46d7-ba5e-156bd543eefa',
  organization_id: '766b0fc0-bfe2-4032-a510-ccd068a0c160',
  investigation_type: 'individual_investigation',
  status: { approval_state: 'AI_CLEARED', processing_state: 'COMPLETED' },
};

const encode = (format: WireFormat, data: Record<string, unknown>, type = 'compound.created') =>
  encodeBody(format, { id: 'evt_2mVq8GkqTn3vYc6b', type, timestamp, data });

describe('encodeBody', () => {
  it('writes the standard body with keys id, type, timestamp, data', () => {
    expect(encode('standard', compound)).toBe(
      '{"id":"evt_2mVq8GkqTn3vYc6b","type":"compound.created","timestamp":"2024-01-15T10:30:45.000Z",' +
        '"data":{"id":"compound-123","name":"Aspirin","category":"analgesic","efficacy":0.92}}',
    );
  });

  it('writes the axifi body with "event" for the type', () => {
    expect(encode('axifi', compound)).toBe(
      '{"id":"evt_2mVq8GkqTn3vYc6b","event":"compound.created","timestamp":"2024-01-15T10:30:45.000Z",' +
        '"data":{"id":"compound-123","name":"Aspirin","category":"analgesic","efficacy":0.92}}',
    );
  });

  it("writes the axle body flat: event_type, data's own keys in order, timestamp", () => {
    expect(encode('axle', investigation, 'investigation.updated')).toBe(
      '{"event_type":"investigation.updated","investigation_id":"14c08b5d-e32c-46d7-ba5e-156bd543eefa",' +
        '"organization_id":"766b0fc0-bfe2-4032-a510-ccd068a0c160","investigation_type":"individual_investigation",' +
        '"status":{"approval_state":"AI_CLEARED","processing_state":"COMPLETED"},"timestamp":"2024-01-15T10:30:45.000Z"}',
    );
    expect(encode('axle', {}, 'ping')).toBe('{"event_type":"ping","timestamp":"2024-01-15T10:30:45.000Z"}');
  });

  it('survives JSON.stringify(JSON.parse(body)) byte for byte, escapes and non-ASCII included', () => {
    const data = {
      text: 'line\nbreak "quoted" \\ tab\t é 😀 \u2028 </script>',
      numbers: [0, -1, 1.5, 1e21, 5e-7, Number.MAX_SAFE_INTEGER],
      nested: { empty: {}, list: [], nil: null, yes: true, '01': 'not an index', 'with space': 1 },
      nullProto: Object.assign(Object.create(null), { a: 1 }),
    };
    for (const format of ['standard', 'axifi', 'axle'] as const) {
      const body = encode(format, data);
      expect(JSON.stringify(JSON.parse(body))).toBe(body);
    }
  });

  it.each([
    ['NaN', { score: NaN }, 'data.score is NaN'],
    ['Infinity', { deep: { x: [1, -Infinity] } }, 'data.deep.x[1] is -Infinity'],
    ['BigInt', { big: 10n }, 'data.big is a BigInt'],
    ['undefined value', { a: { b: undefined } }, 'data.a.b is undefined'],
    ['undefined in an array', { list: [1, undefined] }, 'data.list[1] is undefined'],
    ['sparse array', { list: [1, , 3] }, 'data.list[1] is an empty slot'],
    ['function', { fn: () => 1 }, 'data.fn is a function'],
    ['symbol', { s: Symbol('x') }, 'data.s is a symbol'],
    ['Date', { when: new Date(0) }, 'data.when is a Date, not plain JSON data. Send date.toISOString() instead.'],
    ['Map', { m: new Map() }, 'data.m is a Map'],
    ['class instance', { c: new (class Money {})() }, 'data.c is a Money'],
    ['odd key path', { 'a-b': [undefined] }, 'data["a-b"][0] is undefined'],
    ['reserved event_type', { event_type: 'x' }, 'data.event_type is reserved'],
    ['reserved timestamp', { timestamp: 'x' }, 'data.timestamp is reserved'],
    ['integer-like key', { name: 'a', '1': 'b' }, 'data["1"] is an integer-like key'],
  ])('refuses %s, naming the path, in every format alike', (_label, data, message) => {
    // checkData (lib/webhooks/events.ts) encodes the standard body only, relying on every format refusing the same data
    for (const format of WIRE_FORMATS) {
      let error: unknown;
      try {
        encode(format, data as Record<string, unknown>);
      } catch (e) {
        error = e;
      }
      expect(error, format).toBeInstanceOf(EncodeError);
      expect((error as Error).message, format).toContain(message);
    }
  });

  it('refuses a cycle and data that is not a plain object', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => encode('standard', cyclic)).toThrow(/data.self refers back/);
    expect(() => encode('standard', [1, 2] as unknown as Record<string, unknown>)).toThrow(/data must be a plain JSON object, not an array/);
    expect(() => encode('standard', null as unknown as Record<string, unknown>)).toThrow(EncodeError);
    expect(() => encode('standard', new Date() as unknown as Record<string, unknown>)).toThrow(/not a Date/);
  });

  it('allows the same object twice (not a cycle) and integer-like keys below the top level', () => {
    const shared = { x: 1 };
    expect(encode('standard', { a: shared, b: shared, c: { '1': 'ok' } })).toContain('"data":{"a":{"x":1},"b":{"x":1},"c":{"1":"ok"}}');
  });

  it('refuses an invalid timestamp and an empty type', () => {
    expect(() => encodeBody('standard', { id: 'evt_1', type: 'a', timestamp: new Date('nope'), data: {} })).toThrow(/valid Date/);
    expect(() => encodeBody('standard', { id: 'evt_1', type: '', timestamp, data: {} })).toThrow(/event.type/);
  });
});
