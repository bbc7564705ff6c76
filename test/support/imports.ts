import { readFileSync } from 'node:fs'
import { asc, sql } from 'drizzle-orm'
import { articles, comments } from '../../src/db/schema.js'
import { ORIGIN, type TestApp } from './test-app.js'
import type { SignedIn } from './moderators.js'

/** A file of test/fixtures, as text. */
export const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')

/** Posts an export to the import endpoint as `admin`. */
export async function postImport(t: TestApp, admin: SignedIn, body: BodyInit, type = 'application/xml', query = ''): Promise<Response> {
  return t.request(`/api/v1/admin/import${query}`, {
    method: 'POST',
    headers: { ...admin.headers, 'Content-Type': type, Origin: ORIGIN },
    body,
  })
}

/** Imports and expects 200, returning the summary. */
export async function importOk(t: TestApp, admin: SignedIn, body: BodyInit, type = 'application/xml', query = '') {
  const res = await postImport(t, admin, body, type, query)
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${await res.text()}`)
  return res.json()
}

/** Everything the tables hold, in a stable order: for "nothing changed" and "nothing imported". */
export async function tableSnapshot(t: TestApp) {
  return {
    articles: await t.deps.db.select().from(articles).orderBy(asc(articles.id)),
    comments: await t.deps.db.select().from(comments).orderBy(asc(comments.id)),
  }
}

/** Row counts of articles and comments. */
export async function counts(t: TestApp): Promise<{ articles: number; comments: number }> {
  const [row] = await t.deps.db
    .select({
      articles: sql<number>`(select count(*)::int from ${articles})`,
      comments: sql<number>`(select count(*)::int from ${comments})`,
    })
    .from(sql`(select 1) one`)
  return row ?? { articles: -1, comments: -1 }
}
