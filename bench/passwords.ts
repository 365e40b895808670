// Password hashing and the event loop: four sign-ins at once with argon2id (@node-rs/argon2, libuv's thread pool)
// against four bcryptjs compares (cost 11, pure JavaScript on the main thread, as before). Prints the wall time
// and the longest event-loop stall (a 5 ms ticker) for each. Run: npx tsx bench/passwords.ts
import bcrypt from 'bcryptjs';
import { checkPassword, hashPassword } from '@/lib/auth/passwords';
import { stallDuring } from '@/test/event-loop';

async function measure(name: string, work: () => Promise<unknown>): Promise<void> {
  const { ms, stall } = await stallDuring(work);
  console.log(name.padEnd(44), `${ms.toFixed(0).padStart(6)} ms`, `  longest event-loop stall ${stall.toFixed(0).padStart(5)} ms`);
}

const argon = await hashPassword('correct horse battery');
const legacy = bcrypt.hashSync('correct horse battery', 11);
for (let round = 0; round < 2; round++) {
  await measure('argon2id verify ×4 at once', () => Promise.all([1, 2, 3, 4].map(() => checkPassword('correct horse battery', argon))));
  await measure('bcryptjs (cost 11) compare ×4 at once', () => Promise.all([1, 2, 3, 4].map(() => bcrypt.compare('correct horse battery', legacy))));
}
