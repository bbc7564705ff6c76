/**
 * English: every text readers meet outside the widget (src/widget/client/messages.js has the
 * widget's), by where it appears. The other catalogs (de.ts, es.ts) have exactly these keys, checked
 * by their type; where WordPress has a translation of its own message, theirs follows it.
 */
export const en = {
  /** WordPress's own wording (wp-includes/comment.php), so that readers see what they are used to. */
  wordpress: {
    requireNameEmail: 'Please fill the required fields.',
    requireValidEmail: 'Please enter a valid email address.',
    requireValidComment: 'Please type your comment text.',
    nameTooLong: 'Your name is too long.',
    emailTooLong: 'Your email address is too long.',
    urlTooLong: 'Your URL is too long.',
    commentTooLong: 'Your comment is too long.',
    duplicate: 'Duplicate comment detected; it looks as though you\u2019ve already said that!',
    flood: 'You are posting comments too quickly. Slow down.',
    closed: 'Sorry, comments are closed for this item.',
    /** wp-comments-post.php, when only registered users may comment. */
    loginRequired: 'Sorry, you must be logged in to comment.',
    subscribersOnly: 'Sorry, only subscribers can comment on this article.',
    // Not WordPress's (its disallowed list sends to the trash without a word): bans say so, unless the site chose silence.
    banned: 'Sorry, you cannot comment on this site.',
    // Not WordPress's (it drops such a URL silently): a reader deserves to know.
    invalidUrl: 'Please enter a valid website address starting with http:// or https://.',
    invalidParent: 'The comment you are replying to does not exist or is not published.',
    noArticle: 'Sorry, comments are not open for this page yet.',
    // Not WordPress's (it has no such limit): sanitizing deeply nested markup costs quadratic time.
    tooMuchMarkup: 'Your comment has too much HTML markup.',
  },
  /** The plain form's pages (POST /comment-form), WordPress's wp_die() page for a refused comment. */
  form: {
    failure: 'Comment Submission Failure',
    error: 'Error:',
    back: '« Back',
    useBack: "Use your browser's Back button to return to your comment.",
    received: 'Comment received',
    held: 'Your comment is awaiting moderation.',
    published: 'Thank you: your comment is published.',
  },
  /** The thread as WordPress prints it (comments.html). */
  fragment: {
    says: 'says:',
    reply: 'Reply',
    replyTo: (name: string) => `Reply to ${name}`,
    removed: 'This comment was removed.',
    held: 'Your comment is awaiting moderation.',
    edited: '(edited)',
    staff: 'Staff',
    signedIn: 'Signed in',
    featured: 'Featured',
    votes: (n: number): string => (n === 1 ? 'vote' : 'votes'),
    comments: 'Comments',
    navigation: 'Comments navigation',
    older: 'Older Comments',
    newer: 'Newer Comments',
    more: 'More Comments',
  },
  /** Emails; the moderators' follow WordPress's own (wp_notify_moderator, wp_notify_postauthor). */
  mail: {
    untitled: 'an article',
    subject: {
      confirm: 'Confirm your email address for comment notifications',
      thread: (title: string, count: number) => (count === 1 ? `New comment on “${title}”` : `${count} new comments on “${title}”`),
      approved: (title: string) => `Your comment on “${title}” was approved`,
      held: (title: string) => `Please moderate: “${title}”`,
      reported: (title: string) => `Reported comment: “${title}”`,
      new: (title: string) => `Comment: “${title}”`,
      digest: (count: number) => (count === 1 ? '1 comment needs your attention' : `${count} comments need your attention`),
    },
    confirm: {
      intro: 'Someone, probably you, asked to be emailed at this address about:',
      thread: (title: string) => `new comments on “${title}”`,
      approval: (title: string) => `the approval of a comment on “${title}”`,
      action: 'Confirm your email address',
      ignore:
        'If it was not you, ignore this email: none of this is sent unless the button is pressed. To get no such email again, stop all comment emails below.',
    },
    thread: {
      intro: (title: string, count: number) => (count === 1 ? `A new comment on “${title}”:` : `${count} new comments on “${title}”:`),
      wrote: (name: string) => `${name} wrote:`,
      view: 'View the comment',
    },
    approved: {
      intro: (title: string) => `Your comment on “${title}” has been approved and is now published.`,
    },
    moderator: {
      held: (title: string) => `A new comment on “${title}” is waiting for your approval`,
      reported: (title: string) => `A comment on “${title}” was reported by a reader`,
      new: (title: string) => `New comment on “${title}”`,
      digest: (count: number) => (count === 1 ? 'This comment waits for you:' : `These ${count} comments wait for you:`),
      author: 'Author',
      email: 'Email',
      url: 'URL',
      comment: 'Comment',
      status: 'Status',
      checks: 'Spam checks',
      noChecks: 'none ran',
      reports: 'Reports',
      statuses: { pending: 'pending', approved: 'approved', spam: 'spam', trash: 'trash' },
      reasons: { spam: 'Spam', abuse: 'Abusive or harmful', off_topic: 'Off topic', other: 'Something else' },
      actions: { approve: 'Approve it', spam: 'Spam it', trash: 'Trash it' },
      details: 'Open in the dashboard',
      queue: 'Open the moderation queue',
      prefs: 'You get these emails because of your notification settings:',
    },
    unsubscribe: {
      thread: 'Stop emails about this article',
      all: 'Stop all comment emails',
    },
  },
  /** The pages an emailed link opens. */
  links: {
    title: 'Comments',
    invalid: 'This link is not valid. It may have been cut when the email was copied.',
    expired: 'This link has expired. Open the comment from the dashboard instead.',
    used: 'This link has been used already.',
    gone: 'There is nothing left to do here: the comment or address no longer exists.',
    notAllowed: 'Your moderator account cannot do this any longer.',
    act: { approve: 'Approve this comment?', spam: 'Mark this comment as spam?', trash: 'Move this comment to the trash?' },
    actButton: { approve: 'Approve', spam: 'Mark as spam', trash: 'Move to trash' },
    by: (name: string) => `By ${name}`,
    confirm: 'Confirm that you want comment notifications at this address.',
    confirmButton: 'Confirm my email address',
    unsubscribeThread: 'Stop emails about this article?',
    unsubscribeAll: 'Stop all comment emails to this address?',
    unsubscribeButton: 'Unsubscribe',
    malformed: 'This request could not be read. Open the link from the email again.',
    now: {
      pending: 'It is held for moderation now.',
      approved: 'It is published now.',
      spam: 'It is in spam now.',
      trash: 'It is in the trash now.',
    },
    undo: 'Emails to this address are stopped, confirmations included. Changed your mind?',
    undoButton: 'Allow comment emails again',
    done: {
      moderated: 'Done: the comment has been moderated.',
      confirmed: 'Thank you: your address is confirmed. You will be emailed as you asked.',
      unsubscribed: 'You are unsubscribed. No more emails of this kind will be sent.',
      resumed: 'Comment emails to this address are allowed again. Tick the box under a comment to follow an article.',
    },
  },
}

/** A catalog: English's keys, each a text or a function making one. */
export type Texts = typeof en
