import { describe, expect, it } from 'vitest'
import { createSecrets } from '../src/crypto/secrets.js'
import { createNodeSecrets } from '../src/crypto/node-secrets.js'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'

describe('createNodeSecrets', () => {
  it('gives the same hashes and opens what Web Crypto sealed, and the other way round', async () => {
    const web = await createSecrets(SECRET)
    const node = createNodeSecrets(SECRET)
    for (const email of ['Reader@Example.com ', 'zoë@mail.example']) {
      expect(await node.emailHash(email)).toBe(await web.emailHash(email))
      expect(await node.avatar(email)).toBe(await web.avatar(email))
      expect(await node.decryptEmail(await web.encryptEmail(email))).toBe(email)
      expect(await web.decryptEmail(await node.encryptEmail(email))).toBe(email)
    }
    expect(await node.rateKey('comment-ip:192.0.2.1')).toBe(await web.rateKey('comment-ip:192.0.2.1'))
    const comment = { id: 42, createdAt: new Date('2031-01-02T03:04:05.678Z') }
    expect(await node.moderationHash(comment)).toBe(await web.moderationHash(comment))
    expect(await node.moderationHash({ ...comment, createdAt: new Date(0) })).not.toBe(await node.moderationHash(comment))
    expect(await web.unseal(await node.seal('whsec_x'))).toBe('whsec_x')
    expect(await node.unseal(await web.seal('whsec_y'))).toBe('whsec_y')
  })

  it('refuses a short secret and a tampered sealed value', async () => {
    expect(() => createNodeSecrets('short')).toThrow(/32 bytes/)
    const node = createNodeSecrets(SECRET)
    const sealed = await node.encryptEmail('reader@example.com')
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA')
    await expect(node.decryptEmail(tampered)).rejects.toThrow()
    await expect(node.decryptEmail(await createNodeSecrets(`${SECRET}!`).encryptEmail('x@y.z'))).rejects.toThrow()
  })
})
