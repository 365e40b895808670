import { z } from 'zod';
import { unstable_rethrow } from 'next/navigation';
import { requireMember, type Member } from './auth/require-member';
import { PERMISSIONS, refusalOf, type ForbiddenError, type Permission } from './auth/permissions';
import { translateError, type ErrorSurface } from './errors';

// What every server action answers; never a secret, a password or a stack trace.
export type ActionState = {
  ok: boolean;
  error?: string;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  data?: Record<string, unknown>;
};

// An error as an action's answer, through the one translator (lib/errors.ts): user-fixable errors and refusals say
// what to do; anything else is logged there and answered with a generic sentence.
export function actionError(e: unknown, surface: Extract<ErrorSurface, 'action' | 'sign-in'> = 'action', where = 'server action'): ActionState {
  const t = translateError(e, surface, where);
  return { ok: false, error: t.message, ...(t.fieldErrors ? { fieldErrors: t.fieldErrors } : {}) };
}

// Why a member may not do something: the role, in the words the dashboard has always used, or the platform's cap.
function refusal(member: Member, refused: ForbiddenError): string {
  return refused.reason ?? `Your role (${member.role}) does not allow this; ask an ${PERMISSIONS[refused.permission]} or owner.`;
}

// Wraps a server action: authorize first (the permission the lib function checks), validate with zod, run, and turn
// errors into answers.
export function memberAction<S extends z.ZodType, R extends Partial<ActionState> | void>(
  permission: Permission,
  schema: S,
  fn: (input: z.infer<S>, member: Member, formData: FormData) => Promise<R>,
  parse: (fd: FormData) => unknown = (fd) => Object.fromEntries(fd),
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    try {
      const member = await requireMember();
      const refused = refusalOf(member, permission);
      if (refused) return { ok: false, error: refusal(member, refused) };
      const parsed = schema.safeParse(parse(formData));
      if (!parsed.success) {
        return { ok: false, error: 'Check the highlighted fields.', fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]> };
      }
      const result = await fn(parsed.data, member, formData);
      return { ok: true, ...(result ?? {}) };
    } catch (e) {
      unstable_rethrow(e);
      return actionError(e);
    }
  };
}

// A server action that turns one thing on or off: the form sends its id under `key` and "true" or "false" under `flag`;
// `run` applies it and says what happened.
export function switchAction(
  permission: Permission,
  key: string,
  idSchema: z.ZodType<string>,
  flag: string,
  run: (member: Member, id: string, on: boolean) => Promise<string>,
) {
  const schema = z.object({ [key]: idSchema, [flag]: z.enum(['true', 'false']) });
  return memberAction(permission, schema, async (input, member) => {
    const values = input as Record<string, string>;
    return { message: await run(member, values[key]!, values[flag] === 'true') };
  });
}
