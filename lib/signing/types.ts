// The formats, in the order the dashboard lists them. The one list lib/ and the dashboard use; db/values.ts keeps the
// values an endpoint row may store (db/ imports nothing of lib/), and lib/webhooks/wire-formats.test.ts checks both
// lists are the same.
export const WIRE_FORMATS = ['standard', 'axifi', 'axle'] as const;
// The body shape and vendor header an endpoint receives (DESIGN.md, "Wire formats").
export type WireFormat = (typeof WIRE_FORMATS)[number];

// Why a delivery failed verification; `message` in the result says how to fix the receiver.
export type VerifyFailure = 'missing_header' | 'malformed_header' | 'timestamp_out_of_range' | 'no_matching_signature';
