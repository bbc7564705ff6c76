import { sql } from 'drizzle-orm'
import type { Db } from '../db/database.js'
import type { CheckResult, CommentStatus } from '../db/schema.js'
import type { ArticleRecord } from './import-records.js'

/**
 * Where an import stages what it reads before anything reaches the real tables: temporary
 * tables of the import's own transaction (dropped at its end, invisible to every other
 * session). The whole file is read into them first, so that references in any order (Disqus
 * posts before their threads, replies before their parents) resolve in SQL, and a file that
 * turns out not to be well-formed leaves nothing behind. Not in schema.ts: no migration makes them.
 */
export async function createStagingTables(db: Db): Promise<void> {
  await db.execute(sql`create temp table import_articles (
    seq int primary key, ref text not null, label text not null, key text, problem text, source_site text,
    url text, title text, open boolean not null, created_at timestamptz(3), missing boolean,
    article_id int, created boolean not null default false
  ) on commit drop`)
  await db.execute(sql`create temp table import_comments (
    seq int primary key, ref text not null, source text, source_site text, source_id text not null,
    article_ref text not null, parent_ref text, preferred_id int, status comment_status not null,
    author_name text not null, author_url text, email_encrypted text, email_hash text, avatar smallint, ip text, user_agent text,
    body text not null, html text not null, checks jsonb not null, moderator_email text,
    created_at timestamptz(3) not null, undated boolean not null, edited_at timestamptz(3), warnings jsonb not null,
    id int, article_id int, parent_id int, root_id int, path text collate "C", depth int
  ) on commit drop`)
}

/** A staged comment: the columns of `import_comments` that staging fills (the merge fills the rest). */
export interface StagedComment {
  seq: number
  ref: string
  source: string | null
  source_site: string | null
  source_id: string
  article_ref: string
  parent_ref: string | null
  preferred_id: number | null
  status: CommentStatus
  author_name: string
  author_url: string | null
  email_encrypted: string | null
  email_hash: string | null
  avatar: number | null
  ip: string | null
  user_agent: string | null
  body: string
  html: string
  checks: CheckResult[]
  moderator_email: string | null
  created_at: string
  /** The file gave no date: `created_at` is the import's. */
  undated: boolean
  edited_at: string | null
  /** The comment's warnings, reported once it is known to be imported (see reportCommentWarnings). */
  warnings: string[]
}

export function stagedArticle(seq: number, record: ArticleRecord) {
  return {
    seq,
    ref: record.ref,
    label: record.label ?? record.ref,
    key: record.key,
    problem: record.problem ?? null,
    source_site: record.sourceSite ?? null,
    url: record.url,
    title: record.title,
    open: record.open,
    created_at: record.createdAt?.toISOString() ?? null,
    created: false,
  }
}

/**
 * Inserts a batch as one JSON parameter, spread into the table's row type by PostgreSQL: a
 * statement with thousands of bound parameters costs several times more, on PGlite above all.
 */
export async function insertJsonRows(db: Db, table: 'import_articles' | 'import_comments', rows: object[]): Promise<void> {
  const into = sql.identifier(table)
  await db.execute(sql`insert into ${into} select * from json_populate_recordset(null::${into}, ${JSON.stringify(rows)}::json)`)
}

/** The merge reads staged rows by `seq` (their primary key) and articles by `ref`. */
export async function analyzeStagingTables(db: Db): Promise<void> {
  await db.execute(sql`create index on import_articles (ref, seq)`)
  await db.execute(sql`create index on import_articles (key, seq)`)
  await db.execute(sql`create index on import_comments (article_ref)`)
  // Temporary tables are never analyzed by autovacuum: without statistics the merge's plans go wrong.
  await db.execute(sql`analyze import_articles`)
  await db.execute(sql`analyze import_comments`)
}
