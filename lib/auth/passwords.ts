import bcrypt from 'bcryptjs';

const COST = 11;
// A real hash of a random string: unknown emails cost the same work as wrong passwords (no timing oracle).
const DUMMY_HASH = bcrypt.hashSync('hookrelay-dummy-password-for-timing', COST);

// Hashes a password with bcrypt.
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

// Compares a password with a stored hash, or with the dummy hash when there is no user.
export function checkPassword(password: string, hash: string | undefined): Promise<boolean> {
  return bcrypt.compare(password, hash ?? DUMMY_HASH).then((ok) => ok && hash !== undefined);
}
