import { userInfo } from 'node:os';

/** Who an acknowledgement is recorded as: the user running ledgerline, or "unknown" where the system cannot say. */
export function operatingSystemUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
