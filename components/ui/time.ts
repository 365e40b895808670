// Times shared by every dashboard widget; pure, so server and browser render the same text.

// The exact time in UTC with seconds, for hover titles ("2025-03-10 12:30:45 UTC"); '' for no time.
export function exactTime(d: Date | string | null | undefined): string {
  if (!d) return '';
  return `${new Date(d).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
