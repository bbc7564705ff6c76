import type { TestApp } from './test-app.js'

let serial = 0

/** Posts a comment through the API and returns the 201 body; fails the test on any other status. */
export async function postComment(
  t: TestApp,
  key: string,
  fields: { body?: string; name?: string; email?: string; parentId?: number; url?: string } = {},
  ip?: string,
): Promise<{ comment: { id: number; status: string; depth: number; parentId: number | null; editableUntil?: string }; token: string }> {
  serial++
  const res = await t.postJson(
    `/api/v1/articles/${key}/comments`,
    {
      name: fields.name ?? `Reader ${serial}`,
      email: fields.email ?? `reader${serial}@example.com`,
      body: fields.body ?? `Comment number ${serial}`,
      ...(fields.parentId === undefined ? {} : { parentId: fields.parentId }),
      ...(fields.url === undefined ? {} : { url: fields.url }),
    },
    {},
    ip,
  )
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${await res.text()}`)
  return res.json()
}

/** Settings under which every clean comment is published at once and no one is slowed down. */
export const openSettings = { previouslyApproved: false, floodSeconds: 0 } as const
