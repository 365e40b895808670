import { env } from '../env';
import { seal, open } from './seal';

export { seal, open } from './seal';

// Seals with the process's WEBHOOK_ENCRYPTION_KEY.
export const sealSecret = (plaintext: string) => seal(plaintext, env().WEBHOOK_ENCRYPTION_KEY);
// Opens with the process's WEBHOOK_ENCRYPTION_KEY.
export const openSecret = (sealed: string) => open(sealed, env().WEBHOOK_ENCRYPTION_KEY);
