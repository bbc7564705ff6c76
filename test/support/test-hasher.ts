import argon2 from 'argon2'
import { needsRehash, type PasswordHasher } from '../../src/auth/password-hasher.js'
import { nativeArgon2 } from '../../src/runtime/argon2-native.js'

/** The test hasher's parameters: argon2id's smallest sensible cost (64 KiB, one pass). */
export const testArgon2Params = { memoryKiB: 64, passes: 1, lanes: 1 } as const

/**
 * The test app's password hasher: argon2id through the same native binding and the same PHC
 * strings as Node's (nativeArgon2, whose verify it is), at a tenth of a millisecond a hash instead
 * of ~40 ms. The suite makes about 1,600 hashes and verifications a run (every signed-in moderator,
 * every login-throttling attempt): at production cost, a sixth of its time. A login rewrites only a
 * hash weaker than these parameters, as Node's does against today's.
 *
 * The production hasher stays covered where it is the subject: the login's upgrade of weak hashes
 * (auth.test.ts), both hashers against each other (argon2-noble.test.ts), the CLI's accounts
 * (moderator-cli.test.ts), the real server's first admin (node-server.test.ts), and the apps that
 * the outage tests build themselves.
 */
export const testArgon2: PasswordHasher = {
  hash: (password) =>
    argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: testArgon2Params.memoryKiB,
      timeCost: testArgon2Params.passes,
      parallelism: testArgon2Params.lanes,
    }),
  verify: (phc, password) => nativeArgon2.verify(phc, password),
  needsRehash: (phc) => needsRehash(phc, testArgon2Params),
}
