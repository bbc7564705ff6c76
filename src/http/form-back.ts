/** Where the plain form's pages load their one script from (same origin: the pages' CSP allows it by nonce). */
export const FORM_BACK_PATH = '/form-back.js'

/**
 * "« Back" as WordPress's wp_die() writes it, `history.back()`: the browser returns to the form
 * with the comment still typed in, where a link to the article would load it empty. Without
 * script the link (or the browser's own Back button) is still there.
 */
export const FORM_BACK_SCRIPT = `var back = document.getElementById('back');
if (back && history.length > 1) {
  back.hidden = false;
  back.addEventListener('click', function (event) { event.preventDefault(); history.back(); });
}
`
