// Signs and verifies webhooks in every wire format; node:crypto only, so receivers can vendor this folder.
export type { WireFormat, VerifyFailure } from './types';
// The formats, in the order the dashboard lists them.
export { WIRE_FORMATS } from './types';
// A new "whsec_…" secret.
export { generateSecret } from './secrets';
// The body of an event in a format, and the error for data a body cannot carry.
export { encodeBody, EncodeError, type EncodableEvent } from './encode';
// The headers that sign one attempt.
export { signatureHeaders, SIGNATURE_HEADERS, type SignatureInput } from './sign';
// Checks a received request.
export { verifyWebhook, type VerifyInput, type VerifyResult } from './verify';
