// @ts-check
'use strict'
/**
 * The widget's words, by language (issue 20): the page's `lang` chooses (the element's, an
 * ancestor's, else <html>'s), English where Parley ships none for it. English is here; every other
 * language is a catalog of its own in catalogs/, loaded only by a page in it. Numbers through Intl.
 * The server's own texts (the fragment, the plain form, emails) are in src/i18n, with the same
 * words where both show them. To add a language: catalogs/LANG.js with every key of `en` (its type
 * checks that), a catalog in src/i18n, and its code in src/i18n/languages.ts.
 */
import { BASE, NONCE } from './core.js'

/** @param {(n: number) => string} num */
const en = (num) => ({
  comments: 'Comments',
  noComments: 'No Comments',
  /** @param {number} n */
  count: (n) => (n === 1 ? '1 Comment' : num(n) + ' Comments'),
  loadMore: 'Load more comments',
  /** @param {number} n */
  loaded: (n) => (n === 1 ? '1 more comment loaded.' : num(n) + ' more comments loaded.'),
  notLoaded: 'The comments could not be loaded.',
  tryAgain: 'Please try again.',
  removed: 'This comment was removed.',
  held: 'Your comment is awaiting moderation.',
  edited: '(edited)',
  says: 'says:',
  staff: 'Staff',
  signedIn: 'Signed in',
  featured: 'Featured',
  reply: 'Reply',
  /** @param {string} name */
  replyTo: (name) => 'Reply to ' + name,
  edit: 'Edit',
  editYours: 'Edit your comment',
  delete: 'Delete',
  deleteYours: 'Delete your comment',
  report: 'Report',
  /** @param {string} name */
  reportBy: (name) => 'Report the comment by ' + name,
  save: 'Save',
  cancel: 'Cancel',
  savedHeld: 'Your comment was saved and is awaiting moderation.',
  saved: 'Your comment was saved.',
  deleteSure: 'Delete this comment? This cannot be undone.',
  deleted: 'Your comment was deleted.',
  reasons: { spam: 'Spam', abuse: 'Abusive or harmful', off_topic: 'Off topic', other: 'Something else' },
  why: 'Why should the moderators look at this comment?',
  addNote: 'Anything to add? (optional)',
  sendReport: 'Send report',
  manyReports: 'You have sent many reports already. Please try again later.',
  reported: 'Thank you. The moderators will take a look.',
  leaveReply: 'Leave a Reply',
  /** @param {string} name */
  leaveReplyTo: (name) => 'Leave a Reply to ' + name,
  cancelReply: 'Cancel reply',
  emailNotes: 'Your email address will not be published.',
  /** Around the asterisk. */
  requiredMarked: ['Required fields are marked ', ''],
  comment: 'Comment',
  name: 'Name',
  email: 'Email',
  website: 'Website',
  honeypot: 'Leave this field empty',
  consent: 'Save my name, email, and website in this browser for the next time I comment.',
  follow: 'Notify me of follow-up comments by email.',
  approval: 'Notify me when my comment is approved.',
  confirmNote: 'Check your inbox to confirm your email address; nothing else is sent until you do.',
  post: 'Post Comment',
  published: 'Your comment has been published.',
  turnstile: 'Please complete the check above the button, then post again.',
  turnstileFailed: 'The spam check could not be loaded. Please reload the page to comment.',
  mustLogIn: 'You must be logged in to post a comment.',
  /** The same, around the link to the site's login page. */
  mustBe: ['You must be ', 'logged in', ' to post a comment.'],
  subscribersOnly: 'Sorry, only subscribers can comment on this article.',
  /** @param {string} name */
  loggedInAs: (name) => 'Logged in as ' + name + '. ',
  logOut: 'Log out?',
  anonymous: 'Anonymous',
  unreachable: 'We could not reach the comment server. Please check your connection and try again.',
  duplicate: 'You have already posted this comment.',
  /** @param {number} s */
  tooFast: (s) => 'You are posting comments too quickly. Please wait ' + (s === 1 ? '1 second' : num(s) + ' seconds') + ', then try again.',
  closed: 'Comments are closed for this article.',
  closedShort: 'Comments are closed.',
  expired: 'Your session has expired. Please reload the page and log in again.',
  editClosed: 'The time to change this comment has passed.',
  tooMany: 'Too many requests from your connection. Please try again later.',
  serverError: 'Something went wrong on our side. Please try again in a moment.',
  failed: 'Something went wrong. Please try again.',
  sort: 'Sort comments',
  orders: { oldest: 'Oldest', newest: 'Newest', top: 'Top', featured: 'Featured' },
  /** @param {string} order */
  sorted: (order) => 'Comments sorted: ' + order + '.',
  /** @param {string} name */
  upvote: (name) => 'Upvote the comment by ' + name + ': ',
  /** @param {number} n @returns {string} */
  voteWord: (n) => (n === 1 ? ' vote' : ' votes'),
  /** @param {number} n */
  votes: (n) => (n === 1 ? '1 vote' : num(n) + ' votes'),
  upvoted: 'Upvoted: ',
  unvoted: 'Vote taken back: ',
  voteFailed: 'Your vote was not counted. ',
})

/** @typedef {ReturnType<typeof en>} Messages */

/** @typedef {(num: (n: number) => string) => Messages} Catalog */

/** The catalogs at hand: English, and those loaded (catalogs/*.js register themselves here). */
const builtIn = { en: en }

/** @param {string} lang */
function catalogOf(lang) {
  if (lang === 'en') return builtIn.en
  const loaded = window.ParleyCatalogs
  return (loaded && Object.prototype.hasOwnProperty.call(loaded, lang) && loaded[lang]) || null
}

/**
 * The language of a widget: the nearest `lang` (the element's, an ancestor's, <html>'s), as one
 * Parley ships (`de-AT` is `de`); English otherwise. What the widget sends as Accept-Language too,
 * so that the server's messages come in the same language.
 * @param {Element} host
 * @returns {'en' | 'de' | 'es'}
 */
export function languageOf(host) {
  const holder = host.closest('[lang]')
  const primary = ((holder && holder.getAttribute('lang')) || '').toLowerCase().split(/[-_]/)[0]
  return primary === 'de' || primary === 'es' ? primary : 'en'
}

/** @type {Record<string, Promise<void>>} */
const loading = {}
/** Languages whose catalog was asked for, loaded or not: one that could not load stays English, asked once. @type {Record<string, true>} */
const tried = {}

/**
 * The catalog of `lang`, loaded once per page from /widget-LANG.js (with this script's nonce, so a
 * strict script-src that allowed the widget allows it); undefined when it is at hand already. A
 * catalog that cannot load leaves the widget in English.
 * @param {string} lang
 * @returns {Promise<void> | undefined}
 */
export function catalogLoading(lang) {
  if (catalogOf(lang) || tried[lang]) return undefined
  return (loading[lang] =
    loading[lang] ||
    new Promise(function (resolve) {
      const script = document.createElement('script')
      script.src = BASE + '/widget-' + lang + '.js'
      script.nonce = NONCE
      script.onload = script.onerror = function () {
        tried[lang] = true
        resolve()
      }
      document.head.append(script)
    }))
}

/**
 * The words for a widget on `host` (English until its language's catalog has loaded: see catalogLoading).
 * @param {Element} host
 * @returns {Messages}
 */
export function messagesFor(host) {
  const lang = languageOf(host)
  const catalog = catalogOf(lang) || builtIn.en
  const format = new Intl.NumberFormat(catalog === builtIn.en ? 'en' : lang)
  return catalog(function (n) {
    return format.format(n)
  })
}
