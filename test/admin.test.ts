import { describe, expect, it } from 'vitest'
import { defaultSettings as defaults } from '../src/settings/settings-schema.js'
import { setupTestApp } from './support/test-app.js'
import { openSettings, postComment } from './support/seed.js'
import { signIn, type SignedIn } from './support/moderators.js'

const t = await setupTestApp()

// API.md's documented defaults; the code's full set may add settings, but keeps these.
const documented = {
  requireNameEmail: true,
  moderation: 'rules',
  previouslyApproved: true,
  maxLinks: 2,
  moderationKeys: [],
  disallowedKeys: [],
  threadDepth: 5,
  editWindowSeconds: 900,
  floodSeconds: 15,
  closeAfterDays: null,
  allowedOrigins: [],
  registerArticles: true,
  ipRetentionDays: 30,
}

interface LogEntry {
  id: number
  at: string
  moderator: { id: number; name: string } | null
  action: string
  commentId: number | null
  from: string | null
  to: string | null
  detail: Record<string, unknown> | null
}
interface Node {
  id: number
  depth: number
  replies: Node[]
}

const log = async (mod: SignedIn): Promise<LogEntry[]> => (await (await mod.get('/api/v1/moderation/log?limit=200')).json()).entries
const thread = async (key: string): Promise<{ comments: Node[] }> => (await t.request(`/api/v1/articles/${key}/comments`)).json()
const login = (email: string, password: string) => t.postJson('/api/v1/auth/login', { email, password }, {}, '198.51.100.99')

describe('settings', () => {
  it("answers the whole settings object, WordPress's defaults at first", async () => {
    const admin = await signIn(t, 'admin')
    const res = await admin.get('/api/v1/admin/settings')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual(defaults)
    expect(defaults).toMatchObject(documented)
  })

  it('changes some settings, answering all of them; readers see the change at once', async () => {
    const admin = await signIn(t, 'admin')
    const open = await admin.send('PATCH', '/api/v1/admin/settings', openSettings)
    expect(open.status).toBe(200)
    expect(await open.json()).toEqual({ ...defaults, ...openSettings })
    const root = (await postComment(t, 'depth')).comment
    expect(root.status).toBe('approved')
    const child = (await postComment(t, 'depth', { parentId: root.id })).comment
    const grandchild = (await postComment(t, 'depth', { parentId: child.id })).comment
    expect((await thread('depth')).comments[0]?.replies[0]?.replies[0]).toMatchObject({ id: grandchild.id, depth: 2 })

    const res = await admin.send('PATCH', '/api/v1/admin/settings', { threadDepth: 2, moderation: 'all' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ...defaults, ...openSettings, threadDepth: 2, moderation: 'all' })
    expect(await (await admin.get('/api/v1/admin/settings')).json()).toEqual({
      ...defaults,
      ...openSettings,
      threadDepth: 2,
      moderation: 'all',
    })
    // Two levels: the grandchild is shown beside its parent.
    const replies = (await thread('depth')).comments[0]?.replies ?? []
    expect(replies.map((r) => [r.id, r.depth])).toEqual([
      [child.id, 1],
      [grandchild.id, 1],
    ])
    // Everything is held now.
    expect((await postComment(t, 'depth')).comment.status).toBe('pending')
  })

  it('refuses an unknown key, naming it, and invalid values, changing nothing', async () => {
    const admin = await signIn(t, 'admin')
    const unknown = await admin.send('PATCH', '/api/v1/admin/settings', { threadDepth: 3, colour: 'red' })
    expect(unknown.status).toBe(422)
    const problem = await unknown.json()
    expect(problem).toMatchObject({ status: 422, code: 'validation_failed' })
    expect(problem.errors).toEqual([{ field: 'colour', code: 'unknown_field', message: 'colour is not a known field.' }])
    for (const [patch, field] of [
      [{ threadDepth: 11 }, 'threadDepth'],
      [{ threadDepth: 1 }, 'threadDepth'],
      [{ threadDepth: 2.5 }, 'threadDepth'],
      [{ moderation: 'some' }, 'moderation'],
      [{ maxLinks: -1 }, 'maxLinks'],
      [{ floodSeconds: '15' }, 'floodSeconds'],
      [{ closeAfterDays: 0 }, 'closeAfterDays'],
      [{ allowedOrigins: ['news.example'] }, 'allowedOrigins.0'],
      [{ disallowedKeys: 'casino' }, 'disallowedKeys'],
      [{ requireNameEmail: null }, 'requireNameEmail'],
    ] as const) {
      const res = await admin.send('PATCH', '/api/v1/admin/settings', patch)
      expect(res.status, JSON.stringify(patch)).toBe(422)
      const json = await res.json()
      expect(json.code).toBe('validation_failed')
      expect(
        json.errors.map((e: { field: string }) => e.field),
        JSON.stringify(patch),
      ).toEqual([field])
    }
    expect((await admin.send('PATCH', '/api/v1/admin/settings', [])).status).toBe(422)
    expect(await (await admin.get('/api/v1/admin/settings')).json()).toEqual(defaults)
    expect((await log(admin)).filter((e) => e.action === 'settings')).toEqual([])
  })

  it('accepts the boundaries and null where a setting allows it', async () => {
    const admin = await signIn(t, 'admin')
    const patch = {
      threadDepth: 10,
      closeAfterDays: 14,
      allowedOrigins: ['https://news.example', 'http://localhost:3000'],
      floodSeconds: 0,
    }
    expect(await (await admin.send('PATCH', '/api/v1/admin/settings', patch)).json()).toEqual({ ...defaults, ...patch })
    expect(await (await admin.send('PATCH', '/api/v1/admin/settings', { closeAfterDays: null })).json()).toEqual({
      ...defaults,
      ...patch,
      closeAfterDays: null,
    })
  })

  it('stores a pasted site address as its origin and says what is wrong with any other', async () => {
    const admin = await signIn(t, 'admin')
    const pasted = await admin.send('PATCH', '/api/v1/admin/settings', {
      allowedOrigins: ['https://News.Example/', ' http://localhost:3000/ ', 'https://blog.example:443'],
    })
    expect(pasted.status).toBe(200)
    expect((await pasted.json()).allowedOrigins).toEqual(['https://news.example', 'http://localhost:3000', 'https://blog.example'])
    for (const [entry, words] of [
      ['https://news.example/blog/', 'without a path'],
      ['https://news.example/?ref=1', 'without a path, query or fragment'],
      ['news.example', 'must start with https:// or http://'],
      ['ftp://news.example', 'must start with https:// or http://'],
      ['https://ada:secret@news.example', 'user name or password'],
    ] as const) {
      const res = await admin.send('PATCH', '/api/v1/admin/settings', { allowedOrigins: [entry] })
      expect(res.status, entry).toBe(422)
      const [error] = (await res.json()).errors
      expect(error.field).toBe('allowedOrigins.0')
      expect(error.message, entry).toContain(words)
      expect(error.message, entry).toContain('https://news.example')
    }
  })

  it('logs who changed which setting from what to what', async () => {
    const admin = await signIn(t, 'admin', 'Ada')
    await admin.send('PATCH', '/api/v1/admin/settings', { threadDepth: 3, disallowedKeys: ['casino'] })
    // Saving the same values again changes nothing and logs nothing.
    await admin.send('PATCH', '/api/v1/admin/settings', { threadDepth: 3 })
    const entries = (await log(admin)).filter((e) => e.action === 'settings')
    expect(entries).toEqual([
      {
        id: expect.any(Number),
        at: t.now().toISOString(),
        moderator: { id: admin.id, name: 'Ada' },
        action: 'settings',
        commentId: null,
        from: null,
        to: null,
        detail: { threadDepth: { from: 5, to: 3 }, disallowedKeys: { from: [], to: ['casino'] } },
      },
    ])
  })
})

describe('moderator accounts', () => {
  it('creates a moderator who can then sign in, and lists every account without hashes', async () => {
    const admin = await signIn(t, 'admin', 'Ada')
    const res = await admin.send('POST', '/api/v1/admin/moderators', {
      email: ' New.Mod@News.Example ',
      name: ' Nia ',
      role: 'moderator',
      password: 'eight ch',
    })
    expect(res.status).toBe(201)
    const created = (await res.json()).moderator
    expect(created).toEqual({ id: expect.any(Number), email: 'new.mod@news.example', name: 'Nia', role: 'moderator', disabled: false })
    const list = await admin.get('/api/v1/admin/moderators')
    expect(list.status).toBe(200)
    expect(await list.json()).toEqual({
      moderators: [{ id: admin.id, email: admin.email, name: 'Ada', role: 'admin', disabled: false }, created],
    })
    const signedIn = await login('new.mod@news.example', 'eight ch')
    expect(signedIn.status).toBe(200)
    expect((await signedIn.json()).moderator).toEqual(created)
    expect((await log(admin))[0]).toMatchObject({
      moderator: { id: admin.id, name: 'Ada' },
      action: 'moderator.create',
      to: 'moderator',
      detail: { moderatorId: created.id },
    })
  })

  it('takes passwords of 8 to 128 characters, counting characters rather than bytes', async () => {
    const admin = await signIn(t, 'admin')
    const create = (email: string, password: string) =>
      admin.send('POST', '/api/v1/admin/moderators', { email, name: 'M', role: 'moderator', password })
    for (const password of ['', 'seven c', 'x'.repeat(129), '🔑'.repeat(7), 'y'.repeat(2000)]) {
      const res = await create('weak@news.example', password)
      expect(res.status, `${password.length} characters`).toBe(422)
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toEqual(['password'])
    }
    expect((await create('short@news.example', '12345678')).status).toBe(201)
    expect((await create('long@news.example', 'z'.repeat(128))).status).toBe(201)
    const emoji = await create('emoji@news.example', '🔑'.repeat(8))
    expect(emoji.status).toBe(201)
    const id: number = (await emoji.json()).moderator.id
    expect((await login('emoji@news.example', '🔑'.repeat(8))).status).toBe(200)

    for (const password of ['seven c', 'x'.repeat(129)]) {
      const res = await admin.send('PATCH', `/api/v1/admin/moderators/${id}`, { password })
      expect(res.status).toBe(422)
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toEqual(['password'])
    }
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${id}`, { password: 'w'.repeat(128) })).status).toBe(200)
    expect((await login('emoji@news.example', 'w'.repeat(128))).status).toBe(200)
  })

  it('refuses a duplicate email in any case, an invalid email, name or role', async () => {
    const admin = await signIn(t, 'admin')
    const create = (fields: Record<string, unknown>) =>
      admin.send('POST', '/api/v1/admin/moderators', {
        email: 'dup@news.example',
        name: 'Dee',
        role: 'moderator',
        password: 'long enough',
        ...fields,
      })
    expect((await create({})).status).toBe(201)
    const duplicate = await create({ email: 'DUP@news.example' })
    expect(duplicate.status).toBe(422)
    expect((await duplicate.json()).errors).toEqual([
      { field: 'email', code: 'email_taken', message: 'A moderator with this email already exists.' },
    ])
    for (const [fields, field] of [
      [{ email: 'not an email' }, 'email'],
      [{ email: 'other@news.example', name: '  ' }, 'name'],
      [{ email: 'other@news.example', role: 'owner' }, 'role'],
      [{ email: 'other@news.example', password: undefined }, 'password'],
    ] as const) {
      const res = await create(fields)
      expect(res.status, JSON.stringify(fields)).toBe(422)
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toEqual([field])
    }
    expect((await (await admin.get('/api/v1/admin/moderators')).json()).moderators).toHaveLength(2)
  })

  it('changes a name and role, logging each change; the role applies to sessions already open', async () => {
    const admin = await signIn(t, 'admin', 'Ada')
    const mod = await signIn(t, 'moderator', 'Mo')
    expect((await mod.get('/api/v1/admin/settings')).status).toBe(403)
    const res = await admin.send('PATCH', `/api/v1/admin/moderators/${mod.id}`, { name: 'Maureen', role: 'admin' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ moderator: { id: mod.id, email: mod.email, name: 'Maureen', role: 'admin', disabled: false } })
    expect((await mod.get('/api/v1/admin/settings')).status).toBe(200)
    await admin.send('PATCH', `/api/v1/admin/moderators/${mod.id}`, { disabled: true })
    const entries = (await log(admin)).filter((e) => e.action === 'moderator.update')
    expect(entries.map((e) => [e.moderator?.name, e.from, e.to, e.detail])).toEqual([
      ['Ada', 'admin', 'disabled', { moderatorId: mod.id }],
      ['Ada', 'moderator', 'admin', { moderatorId: mod.id, name: 'Maureen' }],
    ])
    await admin.send('PATCH', `/api/v1/admin/moderators/${mod.id}`, { password: 'a new password' })
    expect((await log(admin))[0]).toMatchObject({ action: 'moderator.update', detail: { moderatorId: mod.id, passwordChanged: true } })
    expect(JSON.stringify(await log(admin))).not.toContain('a new password')
  })

  it("changes a sign-in email, the embedded first admin's too; refuses a taken or invalid one", async () => {
    const admin = await signIn(t, 'admin', 'Ada')
    const other = await signIn(t, 'moderator', 'Mo')
    const res = await admin.send('PATCH', `/api/v1/admin/moderators/${admin.id}`, { email: '  Ada.Real@News.Example ' })
    expect(res.status).toBe(200)
    expect((await res.json()).moderator.email).toBe('ada.real@news.example')
    expect((await login('ada.real@news.example', admin.password)).status).toBe(200)
    expect((await login(admin.email, admin.password)).status).toBe(401)
    const taken = await admin.send('PATCH', `/api/v1/admin/moderators/${admin.id}`, { email: other.email.toUpperCase() })
    expect(taken.status).toBe(422)
    expect((await taken.json()).errors).toEqual([
      { field: 'email', code: 'email_taken', message: 'A moderator with this email already exists.' },
    ])
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${admin.id}`, { email: 'not an address' })).status).toBe(422)
    expect((await log(admin))[0]).toMatchObject({ action: 'moderator.update', detail: { moderatorId: admin.id, emailChanged: true } })
  })

  it('refuses unknown fields and answers 404 for a moderator that does not exist', async () => {
    const admin = await signIn(t, 'admin')
    const mod = await signIn(t)
    const unknown = await admin.send('PATCH', `/api/v1/admin/moderators/${mod.id}`, { mail: 'changed@news.example' })
    expect(unknown.status).toBe(422)
    expect((await unknown.json()).errors).toEqual([{ field: 'mail', code: 'unknown_field', message: 'mail is not a known field.' }])
    // Creating refuses them as changing does: a misspelt field is never silently dropped from an admin's write.
    const created = await admin.send('POST', '/api/v1/admin/moderators', {
      email: 'typo@news.example',
      name: 'T',
      role: 'moderator',
      password: 'long enough',
      disabeld: true,
    })
    expect(created.status).toBe(422)
    expect((await created.json()).errors).toEqual([{ field: 'disabeld', code: 'unknown_field', message: 'disabeld is not a known field.' }])
    const erase = await admin.send('POST', '/api/v1/admin/privacy/erase', { email: 'someone@example.com', dryRun: true })
    expect((await erase.json()).errors).toEqual([{ field: 'dryRun', code: 'unknown_field', message: 'dryRun is not a known field.' }])
    expect((await admin.get('/api/v1/admin/moderators')).status).toBe(200)
    expect((await (await admin.get('/api/v1/admin/moderators')).json()).moderators.map((m: { email: string }) => m.email)).not.toContain(
      'typo@news.example',
    )
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${mod.id}`, { role: 'owner' })).status).toBe(422)
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${mod.id}`, { disabled: 'yes' })).status).toBe(422)
    for (const id of ['999999', '0', 'abc', '99999999999']) {
      const res = await admin.send('PATCH', `/api/v1/admin/moderators/${id}`, { name: 'X' })
      expect(res.status, id).toBe(404)
      expect((await res.json()).code).toBe('not_found')
    }
  })

  it('never demotes or disables the last active admin', async () => {
    const admin = await signIn(t, 'admin')
    const lastAdmin = { field: 'role', code: 'last_admin', message: 'The last active admin cannot be demoted or disabled.' }
    for (const change of [{ role: 'moderator' }, { disabled: true }, { role: 'moderator', disabled: true }]) {
      const res = await admin.send('PATCH', `/api/v1/admin/moderators/${admin.id}`, change)
      expect(res.status, JSON.stringify(change)).toBe(422)
      expect((await res.json()).errors).toEqual([lastAdmin])
    }
    // A disabled admin is no stand-in.
    const other = await signIn(t, 'admin')
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${other.id}`, { disabled: true })).status).toBe(200)
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${admin.id}`, { role: 'moderator' })).status).toBe(422)
    // With another active admin, the first may step down; then the other is the last.
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${other.id}`, { disabled: false })).status).toBe(200)
    const otherAgain = await signIn(t, 'admin')
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${otherAgain.id}`, { disabled: true })).status).toBe(200)
    expect((await admin.send('PATCH', `/api/v1/admin/moderators/${admin.id}`, { role: 'moderator' })).status).toBe(200)
    expect((await admin.get('/api/v1/admin/moderators')).status).toBe(403)
    // The other admin's session ended when it was disabled: it signs in again, and is now the last.
    const res = await login(other.email, other.password)
    const headers = { Authorization: `Bearer ${(await res.json()).token}`, 'Content-Type': 'application/json' }
    const patchSelf = (change: Record<string, unknown>) =>
      t.request(`/api/v1/admin/moderators/${other.id}`, { method: 'PATCH', headers, body: JSON.stringify(change) })
    expect((await patchSelf({ role: 'moderator' })).status).toBe(422)
    // Changing the last admin's name or password is fine.
    expect((await patchSelf({ name: 'Still here' })).status).toBe(200)
  })
  it('keeps an active admin when two admins are removed at the same moment', async () => {
    interface Account {
      id: number
      role: string
      disabled: boolean
    }
    const activeAdmins = async (by: SignedIn): Promise<Account[]> =>
      (await (await by.get('/api/v1/admin/moderators')).json()).moderators.filter((m: Account) => m.role === 'admin' && !m.disabled)
    for (let round = 0; round < 3; round++) {
      const a = await signIn(t, 'admin')
      const b = await signIn(t, 'admin')
      for (const other of await activeAdmins(a)) {
        if (other.id !== a.id && other.id !== b.id)
          expect((await a.send('PATCH', `/api/v1/admin/moderators/${other.id}`, { role: 'moderator' })).status).toBe(200)
      }
      const answers = await Promise.all([
        a.send('PATCH', `/api/v1/admin/moderators/${b.id}`, { disabled: true }),
        a.send('PATCH', `/api/v1/admin/moderators/${a.id}`, { role: 'moderator' }),
      ])
      // One wins; the other finds the last admin (422) or, if it was a's own demotion, that a is no admin now (403).
      expect(
        answers.map((res) => res.status).filter((status) => status === 200),
        `round ${round}`,
      ).toHaveLength(1)
      const witness = await signIn(t, 'admin')
      expect(await activeAdmins(witness), `round ${round}`).toHaveLength(2)
      expect((await witness.send('PATCH', `/api/v1/admin/moderators/${witness.id}`, { role: 'moderator' })).status).toBe(200)
    }
  })
})

describe('audit log', () => {
  it('lists entries newest first, one per comment of a bulk action, page by page with a cursor', async () => {
    const mod = await signIn(t, 'moderator', 'Mo')
    await t.setSettings({ floodSeconds: 0 })
    const ids: number[] = []
    for (let i = 0; i < 5; i++) ids.push((await postComment(t, 'logged')).comment.id)
    t.advance(30)
    await mod.send('POST', '/api/v1/moderation/comments/bulk', { ids, status: 'approved' })
    t.advance(30)
    await mod.send('PATCH', `/api/v1/moderation/comments/${ids[0]}`, { status: 'spam' })

    const first = await mod.get('/api/v1/moderation/log?limit=4')
    expect(first.status).toBe(200)
    const page1 = await first.json()
    expect(page1.entries[0]).toEqual({
      id: expect.any(Number),
      at: t.now().toISOString(),
      moderator: { id: mod.id, name: 'Mo' },
      action: 'status',
      commentId: ids[0],
      from: 'approved',
      to: 'spam',
      detail: null,
    })
    expect(page1.nextCursor).toEqual(expect.any(String))
    const page2 = await (await mod.get(`/api/v1/moderation/log?limit=4&cursor=${page1.nextCursor}`)).json()
    expect(page2.nextCursor).toBeNull()
    const entries: LogEntry[] = [...page1.entries, ...page2.entries]
    expect(entries).toHaveLength(6)
    const entryIds = entries.map((e) => e.id)
    expect(entryIds).toEqual([...entryIds].sort((a, b) => b - a))
    expect(new Set(entryIds).size).toBe(6)
    expect(
      entries
        .slice(1)
        .map((e) => [e.commentId, e.from, e.to])
        .sort(),
    ).toEqual(ids.map((id) => [id, 'pending', 'approved']).sort())
    expect(await (await mod.get('/api/v1/moderation/log')).json()).toEqual({ entries, nextCursor: null })
  })

  it('refuses a cursor it did not give out', async () => {
    const mod = await signIn(t)
    for (const cursor of ['abc', '0', '-1', '99999999999', '1.5']) {
      const res = await mod.get(`/api/v1/moderation/log?cursor=${cursor}`)
      expect(res.status, cursor).toBe(422)
      expect((await res.json()).errors).toEqual([
        { field: 'cursor', code: 'invalid_cursor', message: 'The cursor is not one this API gave out.' },
      ])
    }
    expect((await mod.get('/api/v1/moderation/log?limit=0')).status).toBe(422)
    expect((await mod.get('/api/v1/moderation/log?limit=201')).status).toBe(422)
  })
})

interface Operation {
  requestBody?: { content: Record<string, unknown> }
}

describe('roles on every moderation and admin route', () => {
  it('walks every route in the OpenAPI document: anonymous 401, moderator 403 on admin routes, admin everywhere', async () => {
    const doc: { paths: Record<string, Record<string, Operation>> } = await (await t.request('/openapi.json')).json()
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/moderation/') || path.startsWith('/api/v1/admin/'))
      .flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
      )
    const listed = routes.map((r) => `${r.method} ${r.path}`)
    expect(listed).toEqual(
      expect.arrayContaining([
        'GET /api/v1/moderation/comments',
        'PATCH /api/v1/moderation/comments/{id}',
        'DELETE /api/v1/moderation/comments/{id}',
        'POST /api/v1/moderation/comments/bulk',
        'POST /api/v1/moderation/comments/{id}/replies',
        'GET /api/v1/moderation/articles',
        'PUT /api/v1/moderation/articles/{key}',
        'GET /api/v1/moderation/log',
        'GET /api/v1/admin/settings',
        'PATCH /api/v1/admin/settings',
        'GET /api/v1/admin/moderators',
        'POST /api/v1/admin/moderators',
        'PATCH /api/v1/admin/moderators/{id}',
      ]),
    )

    const admin = await signIn(t, 'admin')
    const mod = await signIn(t)
    const target = await signIn(t)
    await t.setSettings(openSettings)
    const { comment } = await postComment(t, 'walk')
    // Real ids and keys, by the collection each parameter names. A parameter not listed here gets a
    // well-formed id that names nothing: its route is still walked, its admin answer is then a 404.
    const values: Record<string, string> = {
      'comments/{id}': String(comment.id),
      'articles/{key}': 'walk',
      'moderators/{id}': String(target.id),
    }
    const concrete = (path: string) =>
      path.replace(/[a-z-]+\/\{\w+\}/g, (whole: string) => whole.replace(/\{\w+\}/, values[whole] ?? '2147483647'))
    const call = (route: (typeof routes)[number], headers: Record<string, string>) => {
      const type = Object.keys(route.operation.requestBody?.content ?? {})[0]
      const body = type === undefined ? undefined : type.includes('json') ? '{}' : '<x/>'
      return t.request(concrete(route.path), {
        method: route.method,
        headers: { ...headers, ...(type === undefined ? {} : { 'Content-Type': type }) },
        ...(body === undefined ? {} : { body }),
      })
    }

    for (const route of routes) {
      const res = await call(route, {})
      expect(res.status, `anonymous ${route.method} ${route.path}`).toBe(401)
      expect(await res.json()).toMatchObject({ status: 401, code: 'unauthenticated' })
    }
    for (const route of routes) {
      const res = await call(route, mod.headers)
      const where = `moderator ${route.method} ${route.path}: ${res.status}`
      if (route.path.startsWith('/api/v1/admin/')) {
        expect(res.status, where).toBe(403)
        expect(await res.json()).toMatchObject({ status: 403, code: 'forbidden' })
      } else {
        expect([401, 403], where).not.toContain(res.status)
        expect(res.status, where).toBeLessThan(500)
      }
    }
    for (const route of routes) {
      const res = await call(route, admin.headers)
      const where = `admin ${route.method} ${route.path}: ${res.status}`
      expect([401, 403], where).not.toContain(res.status)
      expect(res.status, where).toBeLessThan(500)
    }
  })
})
