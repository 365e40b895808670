import { z } from 'zod';
import { unstable_rethrow } from 'next/navigation';
import { requireMember, type Member } from './auth/require-member';
import { ForbiddenError, roleAtLeast } from './auth/permissions';
import { UserError } from './errors';
import type { Role } from '../db/schema';

// What every server action answers; never a secret, a password or a stack trace.
export type ActionState = {
  ok: boolean;
  error?: string;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  data?: Record<string, unknown>;
};

// Wraps a server action: authorize first, validate with zod, run, and turn user-fixable errors into messages.
export function memberAction<S extends z.ZodType, R extends Partial<ActionState> | void>(
  min: Role,
  schema: S,
  fn: (input: z.infer<S>, member: Member, formData: FormData) => Promise<R>,
  parse: (fd: FormData) => unknown = (fd) => Object.fromEntries(fd),
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    try {
      const member = await requireMember('viewer');
      if (!roleAtLeast(member.role, min)) return { ok: false, error: `Your role (${member.role}) does not allow this; ask an ${min} or owner.` };
      const parsed = schema.safeParse(parse(formData));
      if (!parsed.success) {
        return { ok: false, error: 'Check the highlighted fields.', fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]> };
      }
      const result = await fn(parsed.data, member, formData);
      return { ok: true, ...(result ?? {}) };
    } catch (e) {
      unstable_rethrow(e);
      if (e instanceof UserError) return { ok: false, error: e.message, fieldErrors: e.fieldErrors };
      if (e instanceof ForbiddenError) return { ok: false, error: e.message };
      console.error('server action failed', e);
      return { ok: false, error: 'Something went wrong on our side. Try again; if it keeps happening, check the server log.' };
    }
  };
}
