import { BULK_MAX } from '../moderation/moderate-comment.js'

/** Each operation's one line, by operationId: the document's, out of the Worker's bundle as the descriptions below. */
export const operationSummaries: Readonly<Record<string, string>> = {
  getSettings: "The site's settings",
  changeSettings: 'Change some settings (an unknown key is a 422)',
  listModerators: 'Every moderator account',
  createModerator: 'Create a moderator (password 8-128 characters; an unknown field is a 422)',
  changeModerator: 'Change a moderator; a new password or disabling ends their sessions',
  moveArticle: "Move an article's comments to a new key (and URL): a rename, or a merge into the article that has the key",
  login: 'Sign in: a bearer token and an HttpOnly session cookie',
  logout: 'End this session',
  getSignedInModerator: 'Who is signed in',
  postCommentForm: "The no-JavaScript target of WordPress's own comment form",
  getComment: "One comment: approved, or the author's own with its token",
  editOwnComment: 'The author edits the comment within the edit window',
  withdrawOwnComment: 'The author withdraws the comment within the edit window',
  getCommenter: "A commenter's comments, found from any of them",
  listCommenterRules: 'Bans and trusted commenters',
  addCommenterRule: 'Ban or trust a commenter',
  removeCommenterRule: 'Lift a ban or withdraw trust',
  getCounts: 'Approved-comment counts for up to 100 article keys',
  getOpenApiDocument: 'This document (OpenAPI 3.1)',
  getDocsPage: 'This document as a page to read',
  getThreadFragment: "A page of an article's approved comments as server-rendered HTML (WordPress's comment markup)",
  getHealth: 'The process is up',
  getReadiness: 'The database answers',
  readIdentity: "Who the site's identity token names",
  importComments: 'Import a WordPress (WXR), Disqus or Parley export, detected from the file',
  exportSite: 'Export every article and comment, emails included: Parley JSON (re-importable here) or WXR 1.2 (for WordPress)',
  putArticle: 'Register an article (201), or change its URL, title, or open state (200)',
  listArticles: 'Articles with their published and held counts',
  listAuditLog: 'The audit log, newest first',
  listQueue: 'A moderation queue, oldest first, with counts per queue',
  moderateComment: "Set a comment's status and/or edit its text",
  moderateComments: `One status for up to ${BULK_MAX} comments, in one transaction`,
  undoStatusChanges: 'Undo: put comments back in the status they had before an action',
  deleteComment: 'Delete a comment for good; its replies move up to its parent',
  replyAsModerator: 'Reply as the moderator: published at once (a held parent is approved)',
  dismissReports: 'Keep a reported comment as it is: its open reports are dismissed (logged as reports.dismiss)',
  getNotifications: 'My email notifications, and whether mail is on',
  setNotifications: 'Set my email notifications',
  exportPersonalData:
    "Every comment an email address or a signed-in reader's account wrote (a person's data request), found through keyed hashes",
  erasePersonalData:
    "Anonymize every comment an email address or a signed-in reader's account wrote, as WordPress's eraser does; their email notifications are removed",
  reportComment: 'A reader flags a published comment for the moderators',
  voteOnComment: 'A reader upvotes a published comment, or takes the vote back',
  addCommenterNote: "A moderator's private note on the commenter of a comment",
  removeCommenterNote: "Remove a moderator's note on a commenter",
  getThread: "A page of an article's approved comments, threaded",
  submitComment: 'Submit a comment',
  listWebhooks: 'Event webhook endpoints (never their secrets)',
  createWebhook: 'Add an endpoint: signed with Standard Webhooks, its secret shown only in this answer',
  deleteWebhook: 'Remove an endpoint and its pending deliveries',
}

/**
 * What each operation's caller needs to know beyond its summary, by operationId: the OpenAPI
 * document's words, kept apart from the routes so that the Worker's bundle (which serves the
 * document built into its static assets) carries none of them. openapi-document.ts puts each in
 * its place, and stops on an operation that has none.
 */
export const operationDescriptions: Readonly<Record<string, string>> = {
  getSettings:
    "Every setting, with WordPress's Discussion-screen defaults where none was changed. The filter webhook's secret is never read back.",
  changeSettings:
    'Only the keys sent change; each change is in the audit log. Every instance picks it up at once (the read caches are flushed).',
  listModerators: 'Admins and moderators, disabled ones included; never a password hash.',
  createModerator:
    "The email signs in (compared without case) and must not be another moderator's; the password is stored as an argon2id hash.",
  changeModerator: 'Only the fields sent change. No change may leave the site without an active admin (`last_admin`).',
  moveArticle:
    "When a post's id or slug changes: to a key no article has, the article is renamed; to an existing article's key, its comments " +
    'are merged into that one, threads kept. The old key then reads as the new one (`npm run move` does the same from the command line).',
  login:
    'The same 401 for an unknown email and a wrong password, after the same work. Failed logins are counted per account and network, per ' +
    'network and per account: past a limit, 429 with a `Retry-After` that doubles with each further failure. Sessions end after ' +
    '`SESSION_IDLE_MINUTES` unused or `SESSION_MAX_HOURS` in all.',
  logout:
    "Ends the session the request authenticates with (token or cookie) and clears the cookie. With the cookie, only from Parley's own origin.",
  getSignedInModerator: 'The moderator the token or cookie belongs to: a cheap way to check that a session is still alive.',
  postCommentForm:
    "Same rules as the JSON submission, answered as pages. Success: 303 to `redirect_to` (allowed origins only) or the article's URL, " +
    "ending `#comment-{id}`, with `?unapproved={id}&moderation-hash={hash}` while held. A refusal is WordPress's error page with the " +
    "problem code's status (field errors 422, where WordPress answers 200).",
  getComment:
    "Anyone may read an approved comment; its author, with the comment's token, also a held one (with `status` and, while the edit window is open, `editableUntil`).",
  editOwnComment:
    "With the comment's token, within `editWindowSeconds` of its creation. The spam checks run again on the new text; an edit never " +
    'makes a comment less held than it was. The same text again changes nothing. One edit every 5 s per comment and per network.',
  withdrawOwnComment:
    "With the comment's token, within `editWindowSeconds` of its creation: it leaves public view at once and waits in the moderators' trash.",
  getCommenter:
    'Every comment by the same commenter, newest first, any status, with counts by status and the first and last dates: a reader the ' +
    'site signed in by their account (`matchedBy: account`, `verified`), a guest by their email address (`email`); a comment with neither stands alone (`comment`).',
  getCounts:
    'For "N comments" links on a front page: every key asked is answered, 0 for an article without comments or unknown. Cacheable as the thread is (strong ETag, 304).',
  getOpenApiDocument: 'Generated from the same zod schemas that validate the requests, so it cannot drift from what the routes accept.',
  getDocsPage: 'Rendered on the server: no script, no CDN.',
  getThreadFragment:
    "The thread page of `getThread`, rendered as WordPress's own `wp_list_comments()` markup (`ol.comment-list`, `li.comment.depth-N#comment-ID`, " +
    '`.comment-author.vcard`, `.comment-metadata`, `.comment-content`, `.reply` with `?replytocom=ID#respond` links and the `data-*` attributes of ' +
    "WordPress's comment-reply.js), so that a theme styles it as its own comments; with schema.org `Comment` microdata, and `data-parley-*` " +
    'attributes the widget takes it over by. A fragment to include in the article page (the WordPress plugin does, server-side), not a page. ' +
    "A comment imported from WordPress keeps its WordPress id as its anchor (`#comment-881`). When there is a next page, WordPress's comment " +
    'navigation links to `?parley_cursor=CURSOR#comments`: the host page passes that back as `cursor`. Cached and revalidated as the JSON ' +
    "thread is (strong ETag, 304). With WordPress's `unapproved` and `moderation-hash` (the redirect after a held comment from the plain " +
    'form) the reader\'s own held comment is shown in its place with "Your comment is awaiting moderation.", in a private answer no cache keeps; ' +
    'a wrong or stale pair is ignored.',
  getHealth: 'Answers as soon as the process listens, before the database is open: for a liveness probe.',
  getReadiness: 'For a readiness probe or a load balancer: 200 once the database answers a query, 503 while it does not.',
  readIdentity:
    'For the widget\'s "Logged in as NAME": the reader a publisher token (issue 19) names, once it verifies, and when it expires (ask the site ' +
    'for a fresh one before). Nothing is stored; the subject and email stay unsaid.',
  importComments:
    'Up to PARLEY_IMPORT_MAX_MB (256 MiB by default), counted after decompression: sent with `Content-Encoding: gzip` or `deflate`, or a gzip file as it is (Disqus sends its exports so). ' +
    'The upload is received whole before the import starts; one that sends nothing for PARLEY_IMPORT_IDLE_SECONDS (30 by default) is given up (408). Re-importing the same file changes nothing. ' +
    'A file that is not well-formed is refused whole, with the line and column of the first problem.',
  exportSite:
    "Streamed as a download. It holds every commenter's email address, decrypted: the audit log records who exported, when and in which format.",
  putArticle:
    'Registers an article before its first comment (needed while `registerArticles` is off), or changes it: a closed article takes no ' +
    'more comments. Readers see the change at once.',
  listArticles: 'In the order they were registered; `nextCursor` pages on.',
  listAuditLog:
    'Who did what to which comment (or setting, account, article), when, from which status to which; each comment of a bulk action is ' +
    'one entry. `moderator` is null for what the author or the system did.',
  listQueue:
    "Each comment with everything a decision needs: the email (decrypted), IP, user agent, article, each spam filter's verdict and " +
    'reason, and open reader reports. `reported=true` lists comments with open reports, whatever their status.',
  moderateComment:
    "Readers see the change at once (the thread's ETag and count change). Approving a comment that was already approved dismisses " +
    'its open reports. Every change is in the audit log; with Akismet on, a spam or approval decision is reported to it. ' +
    "`featured` makes an approved comment an editor's pick (a badge, `order=featured`, webhooks `comment.featured` and `comment.unfeatured`); " +
    'it stays one through later status changes, shown again once approved again.',
  undoStatusChanges:
    'Takes the `changed` of a bulk action (or `{ id, from, to }` of a single one): each comment still in `to` goes back to `from`, ' +
    'logged `undo`; a comment changed since, by anyone, is left as it is. Reports dismissed by the action stay dismissed.',
  moderateComments:
    'All or nothing: ids that do not exist are skipped, and `updated` counts the comments whose status changed. Each is one audit log entry. ' +
    '`changed` lists each status change, for an Undo (`…/comments/undo`).',
  deleteComment:
    'Permanent: an import will not bring it back either. Its replies keep their place, under its parent (or at the top level).',
  replyAsModerator: "The reply carries the moderator's name and `author.moderator: true`; no spam filter runs on it.",
  dismissReports: 'The comment leaves the reported queue with its status unchanged; 0 when it had no open report.',
  getNotifications: "The signed-in moderator's preferences, the transport, and the last 30 days of the mail queue by state.",
  setNotifications: 'Saved even while mail is off, so that they apply once a transport is configured.',
  exportPersonalData:
    "The address is matched through its keyed hash (case-insensitive), as stored; `subject` (the site's account id, the `sub` of its identity tokens) through its own. " +
    'Either or both; the audit log records the request without them.',
  erasePersonalData:
    'The name becomes "Anonymous"; email, URL, user agent, email hash and avatar are cleared; the IP keeps its network ' +
    "(/24 for IPv4, /48 for IPv6); a signed-in reader's account hash and picture go too. The text stays. Logged without the address or account.",
  addCommenterNote:
    'Kept on the commenter as the commenter view finds them (their signed-in account, else their email): shown with every comment of theirs ' +
    'to moderators only, never to readers or in webhooks. Audit-logged (`note.add`) without its text; in the privacy export, erased with the person.',
  removeCommenterNote: 'Any moderator may remove any note; audit-logged (`note.remove`).',
  voteOnComment:
    'One vote per reader: a signed-in reader per account, a guest per network and browser (a keyed hash of both is stored, never the address). ' +
    'Sixty votes a minute per network. Thread pages show the counts within five seconds (a kept page is read again after that; a vote never empties the read cache). ' +
    'Who voted is never shown. Refused while the setting `votes` is off.',
  reportComment:
    "The comment stays as it is and appears in the moderators' reported queue. The same reader reporting it again changes nothing; " +
    'ten reports an hour per network.',
  getThread:
    'Paginated by top-level thread; replies inside a thread are oldest first; depth clamped at `threadDepth`. Strong ETag, 304 on `If-None-Match`. ' +
    'An article with no comments yet, or unknown, answers 200 with `comments: []`: a widget never sees a 404 here.',
  submitComment:
    "WordPress's rules and messages: published at once or held for moderation (spam is answered as held). The answer's `token` lets its " +
    'holder read the comment while held, and edit or withdraw it within `editWindowSeconds`. An unknown article is registered by its first ' +
    'comment while `registerArticles` is on. Flood control comes first, then duplicates (as WordPress: same article, parent and text, by the same name or email): only the network that posted the original is told 409; a copy from another network is kept as spam, answered as held.',
  listWebhooks: 'Every endpoint with the events it receives; one that answered 410 Gone shows `disabled`.',
  createWebhook:
    'Events are delivered at least once from a durable outbox, retried with backoff for about three days; 2xx is success, 410 disables ' +
    'the endpoint. The URL must be a public http(s) target (`PARLEY_ALLOW_PRIVATE_TARGETS=1` lifts that). Payloads carry no email address ' +
    'unless `includeEmail`.',
  deleteWebhook: 'Deliveries not yet made are dropped with it; the audit log records the removal.',
  listCommenterRules:
    'Every ban and trusted commenter (issue 20), bans first: what each matches in words (the email decrypted, the address, network or ' +
    "domain; an account by the commenter's name), why, until when, and who made it. Expired rules match no one and stay listed until removed.",
  addCommenterRule:
    "From one of the commenter's comments (`commentId`; an `account` is only ever banned or trusted this way), or by `value`: an email, " +
    'an IP address, a network (IPv4 /24 or IPv6 /64, or an address in it) or an email domain. A banned commenter is refused (403 ' +
    '`commenter_banned`) or silently sent to spam (setting `bannedComments`); a trusted one skips the moderation rules (manual moderation, ' +
    'moderation words, links, previously approved, flood hold) but not the spam filters. A ban wins over trust. One rule per commenter and ' +
    'kind: a new one replaces the old. Audit-logged, without the value.',
  removeCommenterRule: 'The commenter is treated as anyone else again. Audit-logged (`unban`, `untrust`).',
}
