import { AppError } from '../errors.js'
import type { CheckResult } from '../db/schema.js'
import { isOpen, registerArticle, type Article } from '../articles/articles.js'
import { adoptDetails, vouchedFor, type ArticleDetails } from '../articles/article-details.js'
import { hashToken, newToken } from '../crypto/tokens.js'
import { runFilters } from '../spam/run-filters.js'
import { filtersFor } from '../spam/filters-for.js'
import { severity, statusForVerdict, type Verdict } from '../spam/spam-filter.js'
import { rateLimitNetwork } from '../net/ip-networks.js'
import type { CommentContext } from './comment-context.js'
import { checkSubmission, type RawSubmission } from './submission-rules.js'
import { renderBody } from './render-body.js'
import { insertComment } from './insert-comment.js'
import { lookUpSubmission } from './lookup-batches.js'
import { noteSubmission } from './recent-submissions.js'
import { storeComment } from './comment-batches.js'
import { scheduleRecheck } from './spam-recheck.js'
import { claimSubmissionFlood, floodKeys, releaseSubmissionFlood, type SubmissionFloodKeys } from './flood-control.js'
import { articleDetails, detailsToAdopt } from './submitted-article.js'
import { createdPayload } from './notify-outbox.js'
import type { CommentRow } from './comment-row.js'
import { attachableParent, type ParentPlace } from './comment-path.js'
import { wordpressMessages as messages } from './wordpress-messages.js'
import type { Identity } from '../identity/identity-claims.js'
import { commenterOfIdentity, policyRefusal, signedIn } from './commenter-identity.js'
import { decisiveRule, matchRules, ruleKeys, withRule, type MatchedRule, type RuleKey } from './commenter-rule-match.js'

export interface SubmissionInput extends RawSubmission {
  articleKey: string
  parentId?: number | null
  /** Details for an article not yet known. */
  article?: { url?: string; title?: string }
  honeypot?: string
  turnstileToken?: string
  /** The widget's proof that this device posted one of the commenter's approved comments (SpamCandidate.proof). */
  proof?: { commentId: number; token: string }
  /**
   * The author asks to be emailed about follow-up comments on this article (`thread`) and when
   * this comment is approved (`approval`); needs an email, confirmed once (double opt-in).
   */
  subscribe?: { thread?: boolean; approval?: boolean }
  /** The site's signed token for its logged-in reader (issue 19): they comment as that account. */
  identityToken?: string
}

export interface Submitted {
  comment: CommentRow
  article: Article
  token: string
}

/** A duplicate from another network than the original's: stored as spam, answered like any held comment. */
const duplicateCheck: CheckResult = {
  filter: 'duplicate',
  verdict: 'spam',
  reason: 'the same text was posted before under this name or email, from another network',
}

/** The same email posted within floodSeconds from another network: held, answered like any held comment (flood-control.ts). */
const emailFloodCheck = (seconds: number): CheckResult => ({
  filter: 'flood',
  verdict: 'hold',
  reason: `the same email posted less than ${seconds} s before, from another network`,
})

const articleHoldCheck: CheckResult = {
  filter: 'article-moderation',
  verdict: 'hold',
  reason: 'every comment on this article is held for moderation',
}

/**
 * A reader's new comment, through WordPress's rules and the spam pipeline: 422, 404, 403, 422
 * (parent), 429 (flood), 409 (duplicate), then stored with the verdict's status.
 *
 * Flood comes before the duplicate check, and only the network that posted the original learns
 * that it is a duplicate: answered 409 to anyone else, a duplicate would tell whoever guesses an
 * email whether that person wrote this text (and, with one throwaway post, at no cost).
 */
export async function submitComment(ctx: CommentContext, input: SubmissionInput): Promise<Submitted> {
  const { db, secrets, settings, now } = ctx
  // An empty token is a token that does not verify, never a guest's post.
  const identity = input.identityToken !== undefined ? await signedIn(ctx, input.identityToken) : null
  // A signed-in reader is who the site says: its name and email, not typed ones (WordPress's logged-in user).
  const clean = identity
    ? checkSubmission({ ...input, ...commenterOfIdentity(identity) }, { ...settings, requireNameEmail: false })
    : checkSubmission(input, settings)
  const parentId = input.parentId ?? null
  const [emailHash, subjectHash] = await Promise.all([
    clean.email ? secrets.emailHash(clean.email) : null,
    identity ? secrets.subjectHash(identity.subject) : null,
  ])
  const keys = await floodKeys(secrets, ctx.ip, clean.email, settings.floodSeconds)
  const network = ctx.ip === null ? null : rateLimitNetwork(ctx.ip)
  const inFlight = noteSubmission(
    db,
    { articleKey: input.articleKey, parentId, body: clean.body, name: clean.name, emailHash },
    network,
    now.getTime(),
  )
  try {
    const rules = ruleKeys({ emailHash, email: clean.email, subjectHash, ip: ctx.ip })
    const prepared = { clean, parentId, emailHash, subjectHash, identity, rules, keys, network, inFlight: inFlight.copies }
    return await checkAndStore(ctx, input, prepared)
  } finally {
    inFlight.release()
  }
}

/** What submitComment knows of a submission once its text is clean and noted in flight. */
interface Prepared {
  clean: ReturnType<typeof checkSubmission>
  parentId: number | null
  emailHash: string | null
  subjectHash: string | null
  identity: Identity | null
  /** The commenter's keys for the bans and trust. */
  rules: RuleKey[]
  keys: SubmissionFloodKeys
  network: string | null
  /** Copies of this comment still on their way here (this instance), by network. */
  inFlight: (string | null)[]
}

/** submitComment once its text is clean and noted in flight: the look-up, the refusals, then storing. */
async function checkAndStore(ctx: CommentContext, input: SubmissionInput, prepared: Prepared): Promise<Submitted> {
  const { clean, parentId, emailHash, subjectHash, identity, rules, keys, network, inFlight } = prepared
  const { db, settings, now } = ctx
  const found = await lookUpSubmission(db, {
    values: {
      key: input.articleKey,
      body: clean.body,
      parentId,
      emailHash,
      name: clean.name,
      // An article closed by age claims no flood marks either (a refused post must not make the next wait).
      openedAfter: settings.closeAfterDays === null ? null : new Date(now.getTime() - settings.closeAfterDays * 86_400_000),
    },
    flood: { keys, now, seconds: settings.floodSeconds },
    ruleKeys: rules,
  })
  const article: Article | undefined = found?.article
  // A first comment registers its article: the look-up found no row to carry the rules on.
  const rule = decisiveRule(found ? found.rules : await matchRules(db, rules, now))
  let newArticle: (ArticleDetails & { verified: boolean }) | undefined
  let adopt: ArticleDetails | undefined
  if (!article) {
    if (!settings.registerArticles) throw new AppError('article_not_found', messages.noArticle)
    const details = articleDetails(input, ctx)
    newArticle = { ...details, verified: vouchedFor(details, ctx) }
  } else if (!isOpen(article, settings, now)) {
    // The marks were claimed with the look-up where the article is open by its row and the parent
    // is there; a refusal the claim could not foresee (closed by age) gives them back.
    if (found?.claimed) await releaseSubmissionFlood(db, keys, 'post', now).catch(() => undefined)
    throw new AppError('comments_closed', messages.closed)
  } else {
    adopt = detailsToAdopt(article, input, ctx)
  }

  const refusal =
    policyRefusal(article?.commentPolicy ?? null, settings.commentPolicy, identity) ??
    (rule?.action === 'ban' && settings.bannedComments === 'refuse' ? new AppError('commenter_banned', messages.banned) : undefined)
  if (refusal) {
    if (found?.claimed) await releaseSubmissionFlood(db, keys, 'post', now).catch(() => undefined)
    throw refusal
  }

  let parent: ParentPlace | undefined
  if (parentId !== null) {
    if (!found?.parent) throw new AppError('parent_not_found', messages.invalidParent)
    // A reply to a comment at the deepest depth kept goes beside it.
    parent = attachableParent(found.parent)
  }

  // Claimed at once, whatever follows: every answer past this point costs the sender a flood wait.
  const flood = await claimSubmissionFlood(db, keys, now, settings.floodSeconds, found?.claimed)
  if (typeof flood === 'object') throw new AppError('too_fast', messages.flood, { retryAfter: Math.max(1, flood.wait) })
  // Stored copies (the database) and copies still on their way here (this instance), with their networks.
  const copies = [...(found?.duplicateIps ?? []).map((ip) => (ip === null ? null : rateLimitNetwork(ip))), ...inFlight]
  if (copies.some((from) => from !== null && from === network)) throw new AppError('duplicate_comment', messages.duplicate)
  try {
    return await storeSubmission(ctx, input, {
      clean,
      parentId,
      emailHash,
      parent,
      article,
      newArticle,
      adopt,
      flood,
      duplicate: copies.length > 0,
      identity,
      subjectHash,
      rule,
    })
  } catch (error) {
    // Best effort: with the database down, the marks simply run out after floodSeconds.
    await releaseSubmissionFlood(db, keys, flood, now).catch(() => undefined)
    throw error
  }
}

interface Checked extends Pick<Prepared, 'clean' | 'parentId' | 'emailHash' | 'subjectHash' | 'identity'> {
  parent: ParentPlace | undefined
  article: Article | undefined
  newArticle: (ArticleDetails & { verified: boolean }) | undefined
  adopt: ArticleDetails | undefined
  flood: 'post' | 'hold'
  duplicate: boolean
  /** The commenter's ban or trust in force, if any. */
  rule: MatchedRule | undefined
}

/** A submission past WordPress's refusals: filtered, then stored with its verdict's status. */
async function storeSubmission(ctx: CommentContext, input: SubmissionInput, checked: Checked): Promise<Submitted> {
  const { db, secrets, settings, now } = ctx
  const { clean, parentId, emailHash, parent, article, newArticle, adopt, flood, duplicate, identity, subjectHash } = checked

  const html = renderBody(clean.body)
  const filtered = await runFilters(
    filtersFor(ctx),
    {
      articleKey: input.articleKey,
      articleUrl: article?.url ?? newArticle?.url ?? null,
      parentId,
      name: clean.name,
      email: clean.email,
      url: clean.url,
      body: clean.body,
      html,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      referrer: ctx.referrer,
      honeypot: input.honeypot ?? '',
      turnstileToken: input.turnstileToken ?? null,
      createdAt: now,
      isEdit: false,
      ...(input.proof ? { proof: input.proof } : {}),
      subjectHash,
    },
    { db, settings, secrets, now },
  )
  const extra = [
    ...(flood === 'hold' ? [emailFloodCheck(settings.floodSeconds)] : []),
    ...(duplicate ? [duplicateCheck] : []),
    // A sensitive story: a moderator reads every comment first, trusted commenters' too.
    ...(article?.moderation === 'hold' ? [articleHoldCheck] : []),
  ]
  const checks = withRule([...filtered.checks, ...extra], checked.rule)
  const verdict = checks.reduce<Verdict>((worst, check) => (severity[check.verdict] > severity[worst] ? check.verdict : worst), 'approve')

  const status = statusForVerdict[verdict]
  const token = newToken()
  const [tokenHash, emailEncrypted, avatar] = await Promise.all([
    hashToken(token),
    clean.email ? secrets.encryptEmail(clean.email) : null,
    clean.email ? secrets.avatar(clean.email) : null,
  ])

  const values = {
    parent,
    status,
    authorName: clean.name,
    authorUrl: clean.url,
    emailEncrypted,
    emailHash,
    avatar,
    subjectHash,
    authorAvatarUrl: identity?.avatarUrl ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    body: clean.body,
    html,
    checks,
    tokenHash,
    createdAt: now,
    notify: ctx.notifications ? createdPayload(input.subscribe, clean.email !== null) : null,
  }
  const retry = checks.some((check) => check.retry)
  if (article && !adopt && !retry) {
    // The common case: one statement that commits by itself, with the other comments on this
    // article that arrive meanwhile (comment-batches.ts), so that a hot article's row is locked
    // only while PostgreSQL runs it, not across round trips. The deadline gets its word just
    // before it is sent, as it would before COMMIT.
    const comment = await storeComment(db, { ...values, articleId: article.id, readCacheMarker: ctx.readCacheMarker?.() }, ctx.beforeCommit)
    return { comment, article, token }
  }
  return db.transaction(async (tx) => {
    const target = article
      ? adopt
        ? await adoptDetails(tx, article, adopt)
        : article
      : await registerArticle(tx, input.articleKey, newArticle ?? { url: null, title: null, verified: false }, now)
    const comment = await insertComment(tx, { ...values, articleId: target.id, readCacheMarker: ctx.readCacheMarker?.() })
    if (retry) await scheduleRecheck(tx, comment.id, now, ctx.referrer)
    // The request's deadline gets its word just before COMMIT.
    ctx.beforeCommit?.()
    return { comment, article: target, token }
  })
}
