import { describe, expect, it } from 'vitest'
import { fieldCodes } from '../src/errors.js'
import { setupTestApp } from './support/test-app.js'
import { signIn } from './support/moderators.js'

const t = await setupTestApp()

interface Refusal {
  status: number
  code: string
  detail: string
  errors: { field: string; code: string; message: string }[]
}

async function refusal(res: Response): Promise<Refusal> {
  expect(res.status).toBe(422)
  const body = (await res.json()) as Refusal
  expect(body.code).toBe('validation_failed')
  // Parley's own sentences: none of zod's wording, and each a sentence naming its field.
  for (const error of body.errors) {
    expect([...fieldCodes], error.code).toContain(error.code)
    expect(error.message).not.toMatch(/invalid input|expected|received|too big|too small|Invalid option/i)
    expect(error.message).toMatch(/^\S.*\.$/)
  }
  expect(body.detail).toBe(body.errors[0]?.message)
  return body
}

describe('field errors: one vocabulary whichever layer finds the fault', () => {
  it("calls a missing field `required`, in the route's schema as in the comment rules", async () => {
    const login = await refusal(await t.postJson('/api/v1/auth/login', { password: 'x' }))
    expect(login.errors).toEqual([{ field: 'email', code: 'required', message: 'email is required.' }])
    const nulled = await refusal(await t.postJson('/api/v1/auth/login', { email: null, password: 'x' }))
    expect(nulled.errors).toEqual([{ field: 'email', code: 'required', message: 'email is required.' }])
    const comment = await refusal(await t.postJson('/api/v1/articles/a/comments', { body: 'Hello', email: 'ann@example.com' }))
    expect(comment.errors).toEqual([{ field: 'name', code: 'required', message: 'Please fill the required fields.' }])
    const moderators = await signIn(t, 'admin')
    const unnamed = await refusal(
      await moderators.send('POST', '/api/v1/admin/moderators', {
        email: 'new@news.example',
        name: ' ',
        role: 'moderator',
        password: 'long enough',
      }),
    )
    expect(unnamed.errors).toEqual([{ field: 'name', code: 'required', message: 'A name has 1 to 245 characters.' }])
  })

  it('tells a wrong type, a number out of range, text too long and a value not on the list apart', async () => {
    const typed = await refusal(await t.postJson('/api/v1/auth/login', { email: 'ann@example.com', password: 42 }))
    expect(typed.errors).toEqual([{ field: 'password', code: 'invalid_type', message: 'password must be text.' }])
    const limit = await refusal(await t.request('/api/v1/articles/a/comments?limit=101'))
    expect(limit.errors).toEqual([{ field: 'limit', code: 'too_large', message: 'limit must be at most 100.' }])
    const zero = await refusal(await t.request('/api/v1/articles/a/comments?limit=0'))
    expect(zero.errors).toEqual([{ field: 'limit', code: 'too_small', message: 'limit must be at least 1.' }])
    const long = await refusal(await t.postJson('/api/v1/auth/login', { email: 'a'.repeat(321), password: 'x' }))
    expect(long.errors).toEqual([{ field: 'email', code: 'too_long', message: 'email must be at most 320 characters.' }])
    const order = await refusal(await t.request('/api/v1/articles/a/comments?order=sideways'))
    expect(order.errors).toEqual([
      { field: 'order', code: 'invalid_value', message: 'order must be one of "oldest", "newest", "top", "featured".' },
    ])
    const key = await refusal(await t.request('/api/v1/articles/a%20b/comments'))
    expect(key.errors).toEqual([
      { field: 'key', code: 'invalid_format', message: 'key must be an article key: 1-200 characters of A-Z a-z 0-9 . _ ~ : @ -.' },
    ])
  })

  it("uses the same codes for the same faults in the domain's own checks", async () => {
    const admin = await signIn(t, 'admin')
    const short = await refusal(
      await admin.send('POST', '/api/v1/admin/moderators', {
        email: 'new@news.example',
        name: 'New',
        role: 'moderator',
        password: 'short',
      }),
    )
    expect(short.errors).toEqual([{ field: 'password', code: 'too_short', message: 'A password has 8 to 128 characters.' }])
    const moved = await refusal(await admin.send('POST', '/api/v1/moderation/articles/a/move', { to: 'not a key' }))
    expect(moved.errors).toEqual([
      { field: 'to', code: 'invalid_format', message: 'to must be an article key: 1-200 characters of A-Z a-z 0-9 . _ ~ : @ -.' },
    ])
    const many = await refusal(await t.request(`/api/v1/counts?keys=${Array.from({ length: 101 }, (_, i) => i).join(',')}`))
    expect(many.errors.map((e) => e.code)).toEqual(['too_long'])
    const none = await refusal(await t.request('/api/v1/counts?keys=,'))
    expect(none.errors.map((e) => e.code)).toEqual(['required'])
    const unknown = await refusal(await admin.send('PATCH', '/api/v1/admin/settings', { threadDepth: 4, colour: 'red' }))
    expect(unknown.errors).toEqual([{ field: 'colour', code: 'unknown_field', message: 'colour is not a known field.' }])
    const depth = await refusal(await admin.send('PATCH', '/api/v1/admin/settings', { threadDepth: 11, allowedOrigins: ['news.example'] }))
    expect(depth.errors).toEqual([
      { field: 'threadDepth', code: 'too_large', message: 'threadDepth must be at most 10.' },
      {
        field: 'allowedOrigins.0',
        code: 'invalid_format',
        message: 'allowedOrigins.0 must start with https:// or http:// (an origin such as https://news.example).',
      },
    ])
  })
})
