import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { comments, moderators } from './schema.js'

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 })

/**
 * Readers' upvotes (issue 20): one per reader and comment. `voter` is a keyed hash (Secrets.rateKey)
 * of the reader's signed-in account, else of their network (IPv6 /64) with the random id their
 * browser keeps: never an address, and never shown. `comments.votes` is the count.
 */
export const commentVotes = pgTable(
  'comment_votes',
  {
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    voter: text('voter').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.voter] })],
)

/**
 * Votes a network gave in its current minute (keyed hash of the IPv4 address or IPv6 /64): the
 * limit, kept in a row that each vote updates, so that concurrent votes queue on it and none slips
 * past (a count of recent votes, read in each statement's snapshot, let a burst through). Unlogged
 * (migration 0014), as flood marks are: after a crash the minute starts again.
 */
export const voteLimits = pgTable(
  'vote_limits',
  {
    network: text('network').primaryKey(),
    startedAt: at('started_at').notNull(),
    votes: integer('votes').notNull(),
  },
  (t) => [index('vote_limits_started_idx').on(t.startedAt)],
)

/**
 * Moderators' private notes on a commenter (issue 20), keyed like bans: `kind` `email` (the address's
 * look-up hash) or `account` (the signed-in subject's hash). Never shown to readers, erased with the
 * person's data, audit-logged without their text.
 */
export const commenterNotes = pgTable(
  'commenter_notes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').$type<'email' | 'account'>().notNull(),
    matchKey: text('match_key').notNull(),
    body: text('body').notNull(),
    createdBy: integer('created_by').references(() => moderators.id, { onDelete: 'set null' }),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('commenter_notes_match_idx').on(t.kind, t.matchKey, t.createdAt)],
)
