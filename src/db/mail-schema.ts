import { sql } from 'drizzle-orm'
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { articles, comments, moderators } from './schema.js'

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 })

/**
 * Readers' addresses that asked for email (issue 17), keyed by the same look-up hash as
 * `comments.email_hash`; the address itself sealed like a commenter's. `confirmed_at`: the last time
 * its owner clicked a confirmation. A permanent refusal (`bounced_at`) stops all mail until the
 * address is confirmed again; so does "stop all comment emails" (`opted_out_at`), confirmations
 * included, so that no stranger's comment can make Parley write to it again.
 */
export const mailAddresses = pgTable('mail_addresses', {
  emailHash: text('email_hash').primaryKey(),
  emailSealed: text('email_sealed').notNull(),
  confirmedAt: at('confirmed_at'),
  bouncedAt: at('bounced_at'),
  optedOutAt: at('opted_out_at'),
  /** At most one confirmation email a day per address, however many comments ask. */
  confirmationSentAt: at('confirmation_sent_at'),
  createdAt: at('created_at').notNull(),
})

/**
 * What an address follows: `thread`, every approved comment on an article; `approval`, one held
 * comment of theirs being approved. `comment_id` is the comment that asked. Double opt-in per
 * subscription: each waits (`confirmed_at` null) until the address's owner confirms it from an
 * email, so that a stranger who types someone's address cannot sign them up for anything.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    emailHash: text('email_hash')
      .notNull()
      .references(() => mailAddresses.emailHash, { onDelete: 'cascade' }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'thread' | 'approval'>().notNull(),
    commentId: integer('comment_id').references(() => comments.id, { onDelete: 'set null' }),
    confirmedAt: at('confirmed_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('subscriptions_thread_idx')
      .on(t.articleId, t.emailHash)
      .where(sql`${t.kind} = 'thread'`),
    uniqueIndex('subscriptions_approval_idx')
      .on(t.commentId, t.emailHash)
      .where(sql`${t.kind} = 'approval'`),
    index('subscriptions_email_idx').on(t.emailHash),
  ],
)

export type DigestFrequency = 'off' | 'hourly' | 'daily'

/** A moderator's email preferences (WordPress's "Email me whenever …"); no row: no email. */
export const notificationPrefs = pgTable('notification_prefs', {
  moderatorId: integer('moderator_id')
    .primaryKey()
    .references(() => moderators.id, { onDelete: 'cascade' }),
  onHeld: boolean('on_held').notNull().default(false),
  onReported: boolean('on_reported').notNull().default(false),
  onEvery: boolean('on_every').notNull().default(false),
  /** Not `off`: what the choices above select is gathered into one email an hour or a day. */
  digest: text('digest').$type<DigestFrequency>().notNull().default('off'),
  updatedAt: at('updated_at').notNull(),
})

export type MailKind = 'confirm' | 'thread' | 'approved' | 'held' | 'reported' | 'new' | 'digest'
export type MailState = 'queued' | 'sending' | 'sent' | 'failed' | 'dropped'

/**
 * The mail queue: one row per email to send, to a reader (email_hash) or a moderator. Rendered
 * only when sent, from `comment_ids`, so that an email never shows a comment a moderator has since
 * removed, and no text is stored twice. A queued reader email for an article gathers the comments
 * that arrive before it goes (one partial unique index per recipient, kind and article); so does a
 * moderator's digest. While one is being sent (`sending`, leased until `send_after`), what arrives
 * gathers in a new queued row. Sent rows stay a while for the dashboard's counts and the pace of the next.
 */
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').$type<MailKind>().notNull(),
    emailHash: text('email_hash').references(() => mailAddresses.emailHash, { onDelete: 'cascade' }),
    moderatorId: integer('moderator_id').references(() => moderators.id, { onDelete: 'cascade' }),
    /** 0 where the email is about no one article (a confirmation, a digest). */
    articleId: integer('article_id').notNull().default(0),
    commentIds: integer('comment_ids')
      .array()
      .notNull()
      .default(sql`'{}'`),
    state: text('state').$type<MailState>().notNull().default('queued'),
    sendAfter: at('send_after').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: at('sent_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    index('mail_messages_due_idx')
      .on(t.sendAfter)
      .where(sql`${t.state} in ('queued', 'sending')`),
    uniqueIndex('mail_messages_reader_queued_idx')
      .on(t.emailHash, t.kind, t.articleId)
      .where(sql`${t.state} = 'queued' and ${t.emailHash} is not null`),
    uniqueIndex('mail_messages_digest_queued_idx')
      .on(t.moderatorId)
      .where(sql`${t.state} = 'queued' and ${t.kind} = 'digest'`),
    index('mail_messages_sent_idx').on(t.emailHash, t.articleId, t.sentAt),
  ],
)

/** Signed email links used once (moderation actions): the nonce, until the link has expired anyway. */
export const mailLinkUses = pgTable('mail_link_uses', {
  nonce: text('nonce').primaryKey(),
  usedAt: at('used_at').notNull(),
  expiresAt: at('expires_at').notNull(),
})
