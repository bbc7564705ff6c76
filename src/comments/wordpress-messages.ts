/** WordPress's own wording (wp-includes/comment.php), so that readers see what they are used to. */
export const wordpressMessages = {
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
} as const
