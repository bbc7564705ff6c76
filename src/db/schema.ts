import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  customType,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'

/** Byte-order text: paths must sort the same under every database locale. */
const byteOrderText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' })

export const moderatorRole = pgEnum('moderator_role', ['admin', 'moderator'])
export type ModeratorRole = (typeof moderatorRole.enumValues)[number]

/** People who moderate: argon2id PHC strings only, never a password. */
export const moderators = pgTable(
  'moderators',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: moderatorRole('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [uniqueIndex('moderators_email_idx').on(t.email)],
)

export const commentStatus = pgEnum('comment_status', ['pending', 'approved', 'spam', 'trash'])
export type CommentStatus = (typeof commentStatus.enumValues)[number]

const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull()

export const articles = pgTable(
  'articles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull(),
    url: text('url'),
    title: text('title'),
    /**
     * False while `url` and `title` are only what a submission said that no browser on the article's
     * origin vouched for (src/articles/article-details.ts): the next submission that is so vouched
     * for replaces them. Moderators' and imports' details are taken as they are.
     */
    detailsVerified: boolean('details_verified').notNull().default(true),
    open: boolean('open').notNull().default(true),
    /** Who may comment here (`anyone`, `signed-in`, `subscribers`), over the site's `commentPolicy`; null: the site's. */
    commentPolicy: text('comment_policy'),
    /** `hold`: every comment here waits for a moderator (a sensitive story), over the site's rules and trust; null: the rules. */
    moderation: text('moderation').$type<'hold'>(),
    /** Approved comments; maintained in the same transaction as every status change. */
    commentCount: integer('comment_count').notNull().default(0),
    /** Bumped by every change a reader could see: the thread's ETag and cache key. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('articles_key_idx').on(t.key)],
)

export interface CheckResult {
  filter: string
  verdict: 'approve' | 'hold' | 'spam'
  reason: string
  /** The filter could not decide now and asks to be asked again later (Akismet). */
  retry?: boolean
}

export const comments = pgTable(
  'comments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    parentId: integer('parent_id').references((): AnyPgColumn => comments.id),
    /** The top-level comment of the thread (its own id for a top-level comment). */
    rootId: integer('root_id').notNull(),
    /** Concatenated fixed-width (time, id) segments of every ancestor: sorts a thread depth-first, oldest first. */
    path: byteOrderText('path').notNull(),
    depth: smallint('depth').notNull(),
    status: commentStatus('status').notNull(),
    /** Approved, or the ancestor of an approved comment (then shown as a placeholder). */
    shown: boolean('shown').notNull().default(false),
    authorName: text('author_name').notNull(),
    authorUrl: text('author_url'),
    /** AES-256-GCM of the address: base64url(nonce || ciphertext). */
    emailEncrypted: text('email_encrypted'),
    /** HMAC-SHA-256 of the normalized address, for look-ups only. */
    emailHash: text('email_hash'),
    /** The avatar colour (Secrets.avatar): three keyed bits of the address, safe to publish. */
    avatar: smallint('avatar'),
    /** A reader signed in with the site (issue 19): keyed hash of the site's account id (`sub`), for look-ups only. */
    subjectHash: text('subject_hash'),
    /** That reader's picture as the site's token gave it (https only). */
    authorAvatarUrl: text('author_avatar_url'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    body: text('body').notNull(),
    html: text('html').notNull(),
    checks: jsonb('checks').$type<CheckResult[]>().notNull().default([]),
    tokenHash: text('token_hash'),
    /** Set on a moderator's own reply. */
    moderatorId: integer('moderator_id').references(() => moderators.id, { onDelete: 'set null' }),
    /**
     * Where an imported comment came from, for good: `wordpress` and the blog's URL without scheme,
     * `disqus` and the forum, `parley` and another Parley's instance id; with its id there. Null
     * source: written here. Rows imported before sites were kept have site ''.
     */
    source: text('source'),
    sourceSite: text('source_site').notNull().default(''),
    sourceId: text('source_id'),
    createdAt: createdAt(),
    editedAt: timestamp('edited_at', { withTimezone: true, precision: 3 }),
    /** When the comment took its status (arrival, a moderator's decision, an import): spam and trash are purged by it. */
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true, precision: 3 }).notNull(),
    /** When Parley received `ip` and `userAgent` (at submission, or at import): both are forgotten by it. */
    ipCollectedAt: timestamp('ip_collected_at', { withTimezone: true, precision: 3 }),
    /** An editor's pick since then (issue 20); shown as such while approved. */
    featuredAt: timestamp('featured_at', { withTimezone: true, precision: 3 }),
    /** Readers' upvotes: the count of `comment_votes` rows, kept in the statement that adds or takes one. */
    votes: integer('votes').notNull().default(0),
  },
  (t) => [
    index('comments_thread_roots_idx')
      .on(t.articleId, t.createdAt, t.id)
      .where(sql`${t.parentId} is null and ${t.shown}`),
    index('comments_thread_rows_idx').on(t.rootId, t.path),
    // `order=top`: the most upvoted top-level threads first (by the votes readers see), oldest first among equals.
    index('comments_thread_top_idx')
      .on(t.articleId, sql`(case when ${t.status} = 'approved' then ${t.votes} else 0 end) desc`, t.createdAt, t.id)
      .where(sql`${t.parentId} is null and ${t.shown}`),
    // `order=featured`: an article's picks, the latest first.
    index('comments_featured_idx')
      .on(t.articleId, sql`${t.featuredAt} desc`, t.id)
      .where(sql`${t.featuredAt} is not null`),
    index('comments_duplicate_idx').on(t.articleId, sql`md5(${t.body})`),
    index('comments_email_status_idx').on(t.emailHash, t.status),
    index('comments_subject_status_idx')
      .on(t.subjectHash, t.status)
      .where(sql`${t.subjectHash} is not null`),
    index('comments_queue_idx').on(t.status, t.createdAt, t.id),
    index('comments_parent_idx').on(t.parentId),
    // The purge job's two look-ups, each over the few rows it may touch.
    index('comments_purge_idx')
      .on(t.statusChangedAt)
      .where(sql`${t.status} in ('spam', 'trash')`),
    index('comments_ip_retention_idx')
      .on(t.ipCollectedAt)
      .where(sql`${t.ipCollectedAt} is not null`),
    // (source, id) first: a record of unknown site ('') is looked up by them alone.
    uniqueIndex('comments_source_idx').on(t.source, t.sourceId, t.sourceSite),
    check('comments_depth_check', sql`${t.depth} >= 0`),
  ],
)

/**
 * Sources of comments deleted for good (by a moderator, or purged): an import never brings one
 * back. No personal data: where it came from, its id here and when it was written and removed.
 * Parley's own comments are `parley`, this instance's id and their id.
 */
export const removedSources = pgTable(
  'removed_sources',
  {
    source: text('source').notNull(),
    sourceSite: text('source_site').notNull(),
    sourceId: text('source_id').notNull(),
    /** The comment's id and creation time here: how an export that names no site still names it. */
    commentId: integer('comment_id').notNull(),
    sourceCreatedAt: timestamp('source_created_at', { withTimezone: true, precision: 3 }).notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.sourceId, t.sourceSite] }), index('removed_sources_comment_idx').on(t.commentId)],
)

/** Keys an article had before it was moved or merged: an import of an old key lands where its comments went. */
export const articleAliases = pgTable(
  'article_aliases',
  {
    key: text('key').primaryKey(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
  },
  (t) => [index('article_aliases_article_idx').on(t.articleId)],
)

/** One row, made on first need: this Parley's id, the site its own comments are named by in exports. */
export const instance = pgTable(
  'instance',
  {
    id: smallint('id').primaryKey().default(1),
    siteId: text('site_id').notNull(),
  },
  (t) => [check('instance_single_row', sql`${t.id} = 1`)],
)

/** Last accepted action per key (hashed IP or email): flood control that holds across instances. */
export const floodMarks = pgTable(
  'flood_marks',
  {
    key: text('key').primaryKey(),
    lastAt: timestamp('last_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('flood_marks_last_at_idx').on(t.lastAt)],
)

/** One row: the overrides of the default settings, and a revision that every change bumps. */
export const settings = pgTable(
  'settings',
  {
    id: smallint('id').primaryKey().default(1),
    value: jsonb('value').$type<Record<string, unknown>>().notNull().default({}),
    revision: integer('revision').notNull().default(1),
    /** The site filter webhook's signing secret, sealed with PARLEY_SECRET; never in `value`. */
    filterSecret: text('filter_secret'),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [check('settings_single_row', sql`${t.id} = 1`)],
)

/** Moderator sessions: only the SHA-256 of the token is kept. */
export const sessions = pgTable(
  'sessions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    tokenHash: text('token_hash').notNull(),
    moderatorId: integer('moderator_id')
      .notNull()
      .references(() => moderators.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [uniqueIndex('sessions_token_idx').on(t.tokenHash), index('sessions_moderator_idx').on(t.moderatorId)],
)

/** Failed logins by hashed account and hashed IP: throttling that holds across instances. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('login_failures_key_idx').on(t.key, t.at)],
)

/**
 * Networks (an IPv4 address, an IPv6 /64) that signed in to an account, by keyed hash of both:
 * they are exempt from the account-wide failure limit (src/auth/known-logins.ts), so failures sprayed
 * from elsewhere cannot lock the account's owner out where they usually sign in.
 */
export const knownLogins = pgTable(
  'known_logins',
  {
    key: text('key').primaryKey(),
    lastAt: timestamp('last_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('known_logins_last_at_idx').on(t.lastAt)],
)

export const reportReason = pgEnum('report_reason', ['spam', 'abuse', 'off_topic', 'other'])

/** Readers' flags; open until a moderator acts on the comment. */
export const reports = pgTable(
  'reports',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    reason: reportReason('reason').notNull(),
    note: text('note'),
    /** Keyed hash of the reporter's IP: rate limits and one report per reader, no IP kept. */
    reporterKey: text('reporter_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('reports_open_idx')
      .on(t.commentId)
      .where(sql`${t.resolvedAt} is null`),
    index('reports_reporter_idx').on(t.reporterKey, t.createdAt),
  ],
)

/** How a commenter rule finds its commenters (commenter-rules.ts). */
export const COMMENTER_RULE_KINDS = ['email', 'account', 'ip', 'network', 'domain'] as const
export type CommenterRuleKind = (typeof COMMENTER_RULE_KINDS)[number]
export type CommenterRuleAction = 'ban' | 'trust'

/**
 * Bans and trust (issue 20), by email (its look-up hash, the address sealed for moderators to read),
 * by signed-in account (its subject's hash), by IP address, by network (IPv6 /64) or by email
 * domain: one rule per commenter and kind. Expired rules no longer match.
 */
export const commenterRules = pgTable(
  'commenter_rules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').$type<CommenterRuleKind>().notNull(),
    /** What a submission is compared with: the email's or subject's keyed hash, the address, the /64, the domain. */
    matchKey: text('match_key').notNull(),
    action: text('action').$type<CommenterRuleAction>().notNull(),
    /** The commenter's name when the rule was made, for moderators. */
    label: text('label'),
    /** An email rule's address, sealed like commenters' emails. */
    emailEncrypted: text('email_encrypted'),
    reason: text('reason'),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    createdBy: integer('created_by').references(() => moderators.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [uniqueIndex('commenter_rules_match_idx').on(t.kind, t.matchKey)],
)

/** Who did what, when, from which state to which. Kept when the comment itself is deleted. */
export const moderationLog = pgTable(
  'moderation_log',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    /** Null for the comment's author (withdrawal, edit) and for the system. */
    moderatorId: integer('moderator_id').references(() => moderators.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    commentId: integer('comment_id'),
    from: text('from'),
    to: text('to'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('moderation_log_comment_idx').on(t.commentId)],
)

/**
 * Durable work for runJobs: Akismet re-checks and feedback, claimed with FOR UPDATE SKIP LOCKED
 * so that any number of instances can run them.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    commentId: integer('comment_id').references(() => comments.id, { onDelete: 'cascade' }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    runAt: timestamp('run_at', { withTimezone: true, precision: 3 }).notNull(),
    /** Past this, the job gives up. */
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('jobs_run_at_idx').on(t.runAt)],
)

/** Endpoints that receive event webhooks. */
export const webhooks = pgTable('webhooks', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  url: text('url').notNull(),
  events: text('events').array().notNull(),
  includeEmail: boolean('include_email').notNull().default(false),
  /** The `whsec_` signing secret, sealed with PARLEY_SECRET. */
  secretSealed: text('secret_sealed').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
})

/** The outbox: one row per event and endpoint, written in the transaction of the change it describes. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    webhookId: integer('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** For endpoints that asked for it: the commenter's email, sealed until the moment of sending. */
    emailSealed: text('email_sealed'),
    attempts: integer('attempts').notNull().default(0),
    nextAt: timestamp('next_at', { withTimezone: true, precision: 3 }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, precision: 3 }),
    failedAt: timestamp('failed_at', { withTimezone: true, precision: 3 }),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.nextAt)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
  ],
)
