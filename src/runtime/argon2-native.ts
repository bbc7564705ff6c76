import argon2 from 'argon2'
import { argon2Params, type PasswordHasher } from '../auth/password-hasher.js'

/** Node's hasher: the native argon2 binding. */
export const nativeArgon2: PasswordHasher = {
  hash: (password) =>
    argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: argon2Params.memoryKiB,
      timeCost: argon2Params.passes,
      parallelism: argon2Params.lanes,
    }),
  verify: async (phc, password) => {
    try {
      return await argon2.verify(phc, password)
    } catch {
      // A malformed stored hash matches nothing.
      return false
    }
  },
}
