// An error a person can fix: its message is safe to show, with optional field-level messages.
export class UserError extends Error {
  constructor(
    message: string,
    public fieldErrors: Record<string, string[]> = {},
    public code: 'invalid' | 'not_found' | 'conflict' | 'too_large' = 'invalid',
  ) {
    super(message);
  }
}

// "Not found in this org" and "not found" look the same.
export class NotFoundError extends UserError {
  constructor(what: string) {
    super(`${what} not found.`, {}, 'not_found');
  }
}
