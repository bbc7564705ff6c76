/** OWASP's argon2id parameters: 19 MiB of memory, 2 passes, 1 lane. */
export const argon2Params = { memoryKiB: 19_456, passes: 2, lanes: 1 } as const

/**
 * Password hashing behind one interface, so that each runtime brings what loads there (native
 * argon2 on Node, pure JS on Workers) while both read and write the same PHC strings.
 */
export interface PasswordHasher {
  /** A PHC string: `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
  hash(password: string): Promise<string>
  verify(phc: string, password: string): Promise<boolean>
  /**
   * True when a stored hash is weaker than what `hash` writes, so that a login rewrites it. Without
   * it, `needsRehash` against today's parameters (what both runtimes' hashers write).
   */
  needsRehash?(phc: string): boolean
}

/** True when a stored hash was made with weaker parameters (or another algorithm) than `params` (today's). */
export function needsRehash(phc: string, params: { memoryKiB: number; passes: number; lanes: number } = argon2Params): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc)
  if (!match) return true
  const [memory, passes, lanes] = [Number(match[1]), Number(match[2]), Number(match[3])]
  return memory < params.memoryKiB || passes < params.passes || lanes < params.lanes
}

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 128
