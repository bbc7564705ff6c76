import { html, type SafeHtml } from '../pages/html.js'

export interface PlainFormOptions {
  articleKey: string
  /** Where POST /comment-form sends the reader back (an allowed origin's page). */
  redirectTo: string
  /** The comment being replied to (WordPress's `?replytocom=`), and the page without it. */
  replyTo: { id: number; name: string } | null
  pagePath: string
  turnstileSiteKey: string | null
  /** Offer Jetpack's notification checkboxes: only where mail goes out (else the server ignores them). */
  notify: boolean
}

/**
 * WordPress's own comment_form() markup (../shared/data/wordpress/comment-form.html), with its
 * action pointed at Parley. Changed from WordPress's: the cancel link is left out rather than
 * hidden with a style attribute (the page's CSP allows none), and the cookie-consent checkbox is
 * left out, since POST /comment-form sets no cookies and the promise would be empty. Where mail
 * goes out, Jetpack's follow-up checkbox (`subscribe_comments`) and one for the comment's approval
 * (`notify_approval`) take its place.
 */
export function plainFormHtml(options: PlainFormOptions): SafeHtml {
  const reply = options.replyTo
  const title = reply
    ? html`Leave a Reply to <a href="#comment-${reply.id}">${reply.name}</a> <small><a rel="nofollow" id="cancel-comment-reply-link" href="${options.pagePath}#respond">Cancel reply</a></small>`
    : 'Leave a Reply'
  const notify = options.notify
    ? html`<p class="comment-subscription-form"><input type="checkbox" name="subscribe_comments" id="subscribe_comments" value="subscribe" /> <label for="subscribe_comments">Notify me of follow-up comments by email.</label></p>
<p class="comment-subscription-form"><input type="checkbox" name="notify_approval" id="notify_approval" value="subscribe" /> <label for="notify_approval">Notify me when my comment is approved.</label></p>
`
    : ''
  const turnstile = options.turnstileSiteKey ? html`<div class="cf-turnstile" data-sitekey="${options.turnstileSiteKey}"></div>\n` : ''
  return html`<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">${title}</h3><form action="/comment-form" method="post" id="commentform" class="comment-form"><p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p><p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p><p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required /></p>
<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" autocomplete="email" required /></p>
<p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url" /></p>
${notify}${turnstile}<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='${options.articleKey}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='${reply?.id ?? 0}' />
<input type='hidden' name='redirect_to' value='${options.redirectTo}' />
</p></form></div><!-- #respond -->`
}
