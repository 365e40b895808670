// Turns the endpoint form's fields into the shape of endpointInputSchema (lib/webhooks/endpoint-input.ts).
export function parseEndpointForm(fd: FormData) {
  const names = fd.getAll('headerName').map(String);
  const values = fd.getAll('headerValue').map(String);
  const headers: Record<string, string> = {};
  names.forEach((raw, i) => {
    const name = raw.trim();
    const value = values[i] ?? '';
    if (!name && !value.trim()) return; // an empty row is no header
    headers[name] = value;
  });
  const eventTypes = fd.getAll('eventTypes').map(String);
  const rate = String(fd.get('rateLimitPerSecond') ?? '').trim();
  return {
    endpointId: String(fd.get('endpointId') ?? ''),
    url: String(fd.get('url') ?? ''),
    description: String(fd.get('description') ?? ''),
    eventTypes: eventTypes.includes('*') ? ['*'] : eventTypes,
    format: String(fd.get('format') ?? 'standard'),
    headers,
    rateLimitPerSecond: rate === '' ? null : Number(rate),
  };
}
