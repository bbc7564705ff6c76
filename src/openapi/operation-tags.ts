/**
 * The groups the document files its operations under (OpenAPI `tags`), in the order a reader meets
 * them: the widget's public API first, then signing in, moderation, and the admins' tools.
 */
export const operationTags = {
  Comments:
    "Reading and posting comments: the widget's public API, the plain form, reports, and the author's own comment (with its token).",
  Auth: 'Moderators sign in for a bearer token and a session cookie, and sign out.',
  Moderation: 'The moderation queues and what moderators do to comments: statuses, edits, replies, deletions, the audit log.',
  Articles: 'The articles comments belong to: registering, opening and closing, listing with counts, moving to a new key.',
  Notifications:
    "Emails: a moderator's own notification choices, and the signed links the emails carry (one-click moderation, an address's confirmation, unsubscribing).",
  Admin: "Admins only: the site's settings and the moderator accounts.",
  Webhooks: 'Admins only: endpoints that receive signed event notifications.',
  'Import/Export': 'Admins only: importing WordPress, Disqus and Parley exports, and exporting everything.',
  Privacy: "Admins only: a person's data requests, to see or erase every comment an email address wrote.",
  Operations: 'Health and readiness checks, and this document.',
} as const

export type OperationTag = keyof typeof operationTags
