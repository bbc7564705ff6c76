import { en } from '../i18n/en.js'

/** WordPress's own wording (wp-includes/comment.php), in English: the comment rules' messages, translated where readers see them (src/i18n). */
export const wordpressMessages = en.wordpress
