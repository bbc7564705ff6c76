import type { Language } from '../i18n/languages.js'
import type { CheckResult, CommentStatus } from '../db/schema.js'
import type { MailAction } from './mail-links.js'

/** The article an email is about. */
export interface MailArticle {
  key: string
  title: string | null
  url: string | null
}

/** A published comment as a reader's email shows it: what the thread shows, nothing more. */
export interface MailComment {
  id: number
  authorName: string
  /** The comment's rendered HTML, as the thread serves it (sanitized when stored). */
  html: string
  body: string
  createdAt: Date
  /** The comment on the article's page, where the article has a URL. */
  link: string | null
}

/** A comment as a moderator's email shows it: who wrote it, what the filters said, and one-click decisions. */
export interface ModeratedComment extends MailComment {
  status: CommentStatus
  article: MailArticle
  authorEmail: string | null
  authorUrl: string | null
  checks: CheckResult[]
  reports: { reason: string; note: string | null }[]
  /** Signed one-click links (GET shows a confirm page; its POST acts). */
  actions: Record<MailAction, string>
  /** The comment's page in the dashboard. */
  details: string
}

/** Everything an email says, gathered when it is sent; src/emails renders it. */
export type MailContent =
  | { kind: 'confirm'; confirmUrl: string; unsubscribeAll: string; asked: { kind: 'thread' | 'approval'; article: MailArticle }[] }
  | { kind: 'thread' | 'approved'; article: MailArticle; comments: MailComment[]; unsubscribeThread: string; unsubscribeAll: string }
  | { kind: 'held' | 'reported' | 'new'; comment: ModeratedComment; prefsUrl: string }
  | { kind: 'digest'; comments: ModeratedComment[]; prefsUrl: string; queueUrl: string }

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

/** The site an email comes from: its name (the `siteName` setting; empty: none). */
export interface MailSite {
  name: string
  /** The site's language (setting `language`): the emails' words. */
  language: Language
}

/** Turns content into an email (src/emails/render-mail.ts): a presentation, handed to the sweep by the runtime. */
export type RenderMail = (content: MailContent, site: MailSite) => RenderedMail
