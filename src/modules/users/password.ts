import { hash, verify, type Algorithm } from '@node-rs/argon2';

// `Algorithm` is an ambient const enum, which type stripping cannot inline: 2 is Algorithm.Argon2id.
const argon2id = 2 as Algorithm;

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane).
const hashOptions = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

let decoyHash: Promise<string> | undefined;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, hashOptions);
}

/** Checks a password against a stored hash; false (never a throw) when the hash is malformed. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Spends the same work as a real check for an email that does not exist, so response times
 * do not tell which emails have an account. The decoy hash is made on first use, not at import.
 */
export async function verifyDecoyPassword(password: string): Promise<void> {
  decoyHash ??= hashPassword('decoy password never matched');
  await verifyPassword(await decoyHash, password);
}
