import argon2 from 'argon2';
import type { PolicyPack } from '../policy/pack.schema.js';

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * No seed policy sets a length, so CivicDesk keeps its own floor for staff sign-ins (NIST SP 800-63B
 * asks for at least 8; a system holding public records and account secrets asks for 12).
 */
export const MIN_STAFF_PASSWORD_LENGTH = 12;

/** Checks a staff password against the pack's rules (BZ-12 complexity); returns what is missing. */
export function passwordProblems(pack: PolicyPack, password: string): string[] {
  const rules = pack.security.password;
  const problems: string[] = [];
  const minLength = Math.max(rules.minLength, MIN_STAFF_PASSWORD_LENGTH);
  if (password.length < minLength) problems.push(`at least ${minLength} characters`);
  if (rules.requireUpper && !/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (rules.requireLower && !/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (rules.requireDigit && !/[0-9]/.test(password)) problems.push('a digit');
  if (rules.requireSymbol && !/[^A-Za-z0-9]/.test(password)) problems.push('a symbol');
  return problems;
}
