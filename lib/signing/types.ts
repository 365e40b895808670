// The body shape and vendor header an endpoint receives (DESIGN.md, "Wire formats").
export type WireFormat = 'standard' | 'axifi' | 'axle';

// Why a delivery failed verification; `message` in the result says how to fix the receiver.
export type VerifyFailure = 'missing_header' | 'malformed_header' | 'timestamp_out_of_range' | 'no_matching_signature';

// The formats, in the order the dashboard lists them.
export const WIRE_FORMATS: readonly WireFormat[] = ['standard', 'axifi', 'axle'];
