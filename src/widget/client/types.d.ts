// The shapes the widget's JavaScript works with, for its JSDoc (`@import`): the API's answers as
// API.md and /openapi.json give them (as much of them as the widget reads), and its own state.

/** This deployment's Turnstile settings (settings.js), or null without Turnstile. */
export type TurnstileSettings = { siteKey: string; scriptUrl: string } | null

export interface Author {
  name: string
  url: string | null
  avatar: number | null
  moderator: boolean
  /** Signed in with the site when posting, and their picture (https) as its token gave it. */
  verified?: boolean
  avatarUrl?: string | null
}

/** A comment in a thread page; the author's view (with its token) adds `status` and `editableUntil`. */
export interface ThreadComment {
  id: number
  parentId: number | null
  depth: number
  author: Author
  html: string
  createdAt: string
  editedAt: string | null
  removed: boolean
  featured?: boolean
  votes?: number
  replies?: ThreadComment[]
  status?: 'approved' | 'pending'
  editableUntil?: string
}

/** What a removed comment's body is drawn from (its published replies keep their place). */
export interface RemovedComment {
  id: number
  removed: true
}

export interface ThreadPage {
  article: {
    open: boolean
    commentCount: number
    commentPolicy: string
    loginUrl: string | null
    votes?: boolean
    featuredCount?: number
  }
  comments: ThreadComment[]
  nextCursor: string | null
}

/** POST …/comments and PATCH /api/v1/comments/{id}: the comment, and on a new one its token. */
export interface Posted {
  comment: ThreadComment
  token: string
}

/** A problem details answer (API.md, Errors). */
export interface Problem {
  code?: string
  detail?: string
  errors?: { field: string; message: string }[]
}

/** What a call ended with: call() never rejects; a network failure is status 0. */
export type Answer<T> =
  { ok: true; status: number; data: T; retryAfter: number } | { ok: false; status: number; data: Problem | null; retryAfter: number }

/** One of the reader's own comments, as kept in localStorage with its token. */
export interface Own {
  token: string
  article: string
  body: string
  until: string | null
  saved: number
}

/** The name, email and website the reader consented to keep (WordPress's cookies). */
export interface Commenter {
  name: string
  email: string
  url: string
}

/** One of the reader's approved comments with its token: the proof of commenter sent with new ones. */
export interface Proof {
  commentId: number
  token: string
}

/** What the actions on one comment need of it: a thread's comment, or one the server rendered (enhance.js). */
export interface Target {
  id: number
  status?: 'approved' | 'pending'
}

/**
 * One mounted widget: the thread part (mount) and, once the thread says it is open, the form.
 * Enhanced (enhance.js), it is the page's own server-rendered thread and form, in the light DOM: its
 * root is the document, and the heading, error and button it does not show are left detached.
 */
export interface Widget {
  host: HTMLElement
  root: ShadowRoot | Document
  enhanced: boolean
  /** A comment's body (article.comment-body) in this widget's markup: thread.js's or WordPress's. */
  draw: (w: Widget, c: ThreadComment | RemovedComment, li: HTMLLIElement) => HTMLElement
  article: string
  dates: Intl.DateTimeFormat
  /** Its words, in the page's language (messages.js), and that language's code. */
  t: import('./messages.js').Messages
  lang: string
  url: string
  title: string
  nodes: Record<string, HTMLLIElement>
  own: Record<string, Own>
  count: number
  open: boolean
  cursor: string | null
  live: HTMLParagraphElement
  heading: HTMLHeadingElement
  error: HTMLParagraphElement
  list: HTMLOListElement
  more: HTMLButtonElement
  section: HTMLElement
  compose: Compose | null
  /** Who may comment here (the thread's `commentPolicy`), and where the site's readers log in. */
  policy: string
  loginUrl: string | null
  /** The reader the site signed in (identity.js); null: a guest. */
  reader: Reader | null
  /** The script tag's `data-identity-token` and `data-logout-url` (an element has its own attributes). */
  identityToken: string | null
  logoutUrl: string | null
  /** Draws what follows the thread again (form.js drawRespond); null where the page's form is taken over. */
  redraw: ((w: Widget) => void) | null
  /** What follows the thread now: the form's container, the login notice, or "Comments are closed.". */
  after: HTMLElement | null
  /** The thread's order (`oldest`, `newest`, `top`, `featured`), its buttons, and whether readers vote here. */
  order: string
  sort: HTMLElement | null
  votes: boolean
}

/** A reader the site signed in, as POST /api/v1/identity names them; `expiresAt` in ms. */
export interface Reader {
  token: string
  name: string | null
  subscriber: boolean
  expiresAt: number
}

/** WordPress's "Leave a Reply" form of one widget (form.js). */
export interface Compose {
  fields: { body: HTMLTextAreaElement; name: HTMLInputElement; email: HTMLInputElement; url: HTMLInputElement }
  /** The cookie-consent box; null on a page's form without one (its commenter is then neither filled in nor kept). */
  consent: HTMLInputElement | null
  /** The notification checkboxes (where the deployment sends mail), and the note after a post that ticked one. */
  notify: { follow: HTMLInputElement; approval: HTMLInputElement; note: HTMLParagraphElement } | null
  hp: HTMLInputElement
  submit: HTMLInputElement
  formError: HTMLParagraphElement
  cancel: HTMLElement
  titleText: Text
  /** The title's text when not replying. */
  title: string
  form: HTMLFormElement
  respond: HTMLElement
  /** The page's form's `comment_parent` (enhance.js), which WordPress's comment-reply.js may set too; null in the widget's own form. */
  parentInput: HTMLInputElement | null
  /** The comment being replied to, and the Reply control that moved the form there. */
  parent: { id: number; button: HTMLElement } | null
  busy: boolean
  turnstileId: string | undefined
  turnstileToken: string
}

/** Cloudflare Turnstile's explicit-render API, as much of it as the widget uses. */
export interface Turnstile {
  render(
    box: HTMLElement,
    options: {
      sitekey: string
      action: string
      callback: (token: string) => void
      'expired-callback': () => void
      'error-callback': () => void
    },
  ): string | undefined
  reset(id?: string): void
}
