// @ts-check
'use strict'
/**
 * The widget's words, by language (issue 20): the page's `lang` chooses (the element's, an
 * ancestor's, else <html>'s), English where Parley ships none for it. Numbers through Intl. The
 * server's own texts (the fragment, the plain form, emails) are in src/i18n, with the same words
 * where both show them. To add a language: a catalog here with every key of `en`, one in src/i18n,
 * and its code in src/i18n/languages.ts.
 */

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
  tooFast: (s) => 'You are posting comments too quickly. Please wait ' + num(s) + ' seconds, then try again.',
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

/** @param {(n: number) => string} num @returns {Messages} */
const de = (num) => ({
  comments: 'Kommentare',
  noComments: 'Keine Kommentare',
  count: (n) => (n === 1 ? '1 Kommentar' : num(n) + ' Kommentare'),
  loadMore: 'Weitere Kommentare laden',
  loaded: (n) => (n === 1 ? '1 weiterer Kommentar geladen.' : num(n) + ' weitere Kommentare geladen.'),
  notLoaded: 'Die Kommentare konnten nicht geladen werden.',
  tryAgain: 'Bitte versuche es noch einmal.',
  removed: 'Dieser Kommentar wurde entfernt.',
  held: 'Dein Kommentar muss noch freigegeben werden.',
  edited: '(bearbeitet)',
  says: 'sagt:',
  staff: 'Redaktion',
  signedIn: 'Angemeldet',
  featured: 'Empfohlen',
  reply: 'Antworten',
  replyTo: (name) => 'Antworte auf ' + name,
  edit: 'Bearbeiten',
  editYours: 'Deinen Kommentar bearbeiten',
  delete: 'Löschen',
  deleteYours: 'Deinen Kommentar löschen',
  report: 'Melden',
  reportBy: (name) => 'Den Kommentar von ' + name + ' melden',
  save: 'Speichern',
  cancel: 'Abbrechen',
  savedHeld: 'Dein Kommentar wurde gespeichert und muss noch freigegeben werden.',
  saved: 'Dein Kommentar wurde gespeichert.',
  deleteSure: 'Diesen Kommentar löschen? Das kann nicht rückgängig gemacht werden.',
  deleted: 'Dein Kommentar wurde gelöscht.',
  reasons: { spam: 'Spam', abuse: 'Beleidigend oder schädlich', off_topic: 'Nicht zum Thema', other: 'Etwas anderes' },
  why: 'Warum sollte die Moderation sich diesen Kommentar ansehen?',
  addNote: 'Noch etwas hinzuzufügen? (optional)',
  sendReport: 'Meldung senden',
  manyReports: 'Du hast schon viele Meldungen gesendet. Bitte versuche es später noch einmal.',
  reported: 'Danke. Die Moderation sieht es sich an.',
  leaveReply: 'Schreibe einen Kommentar',
  leaveReplyTo: (name) => 'Antworte auf ' + name,
  cancelReply: 'Antworten abbrechen',
  emailNotes: 'Deine E-Mail-Adresse wird nicht veröffentlicht.',
  requiredMarked: ['Erforderliche Felder sind mit ', ' markiert.'],
  comment: 'Kommentar',
  name: 'Name',
  email: 'E-Mail',
  website: 'Website',
  honeypot: 'Dieses Feld leer lassen',
  consent: 'Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser für die nächste Kommentierung speichern.',
  follow: 'Benachrichtige mich über nachfolgende Kommentare per E-Mail.',
  approval: 'Benachrichtige mich, wenn mein Kommentar freigegeben ist.',
  confirmNote: 'Sieh in deinem Posteingang nach und bestätige deine E-Mail-Adresse; bis dahin wird nichts weiter verschickt.',
  post: 'Kommentar abschicken',
  published: 'Dein Kommentar wurde veröffentlicht.',
  turnstile: 'Bitte erledige die Prüfung über der Schaltfläche und sende dann erneut.',
  turnstileFailed: 'Die Spam-Prüfung konnte nicht geladen werden. Bitte lade die Seite neu, um zu kommentieren.',
  mustLogIn: 'Du musst angemeldet sein, um einen Kommentar abzugeben.',
  mustBe: ['Du musst ', 'angemeldet', ' sein, um einen Kommentar abzugeben.'],
  subscribersOnly: 'Diesen Artikel können leider nur Abonnenten kommentieren.',
  loggedInAs: (name) => 'Angemeldet als ' + name + '. ',
  logOut: 'Abmelden?',
  anonymous: 'Anonym',
  unreachable: 'Der Kommentar-Server ist nicht erreichbar. Bitte prüfe deine Verbindung und versuche es noch einmal.',
  duplicate: 'Diesen Kommentar hast du schon geschrieben.',
  tooFast: (s) => 'Du schreibst Kommentare zu schnell. Bitte warte ' + num(s) + ' Sekunden und versuche es dann noch einmal.',
  closed: 'Die Kommentare zu diesem Artikel sind geschlossen.',
  closedShort: 'Die Kommentare sind geschlossen.',
  expired: 'Deine Sitzung ist abgelaufen. Bitte lade die Seite neu und melde dich wieder an.',
  editClosed: 'Die Zeit, diesen Kommentar zu ändern, ist abgelaufen.',
  tooMany: 'Zu viele Anfragen von deiner Verbindung. Bitte versuche es später noch einmal.',
  serverError: 'Bei uns ist etwas schiefgegangen. Bitte versuche es gleich noch einmal.',
  failed: 'Etwas ist schiefgegangen. Bitte versuche es noch einmal.',
  sort: 'Kommentare sortieren',
  orders: { oldest: 'Älteste', newest: 'Neueste', top: 'Beliebteste', featured: 'Empfohlen' },
  sorted: (order) => 'Kommentare sortiert: ' + order + '.',
  upvote: (name) => 'Für den Kommentar von ' + name + ' stimmen: ',
  voteWord: (n) => (n === 1 ? ' Stimme' : ' Stimmen'),
  votes: (n) => (n === 1 ? '1 Stimme' : num(n) + ' Stimmen'),
  upvoted: 'Abgestimmt: ',
  unvoted: 'Stimme zurückgenommen: ',
  voteFailed: 'Deine Stimme wurde nicht gezählt. ',
})

/** @param {(n: number) => string} num @returns {Messages} */
const es = (num) => ({
  comments: 'Comentarios',
  noComments: 'No hay comentarios',
  count: (n) => (n === 1 ? '1 comentario' : num(n) + ' comentarios'),
  loadMore: 'Cargar más comentarios',
  loaded: (n) => (n === 1 ? '1 comentario más cargado.' : num(n) + ' comentarios más cargados.'),
  notLoaded: 'No se pudieron cargar los comentarios.',
  tryAgain: 'Por favor, inténtalo de nuevo.',
  removed: 'Este comentario fue eliminado.',
  held: 'Tu comentario está pendiente de moderación.',
  edited: '(editado)',
  says: 'dice:',
  staff: 'Redacción',
  signedIn: 'Conectado',
  featured: 'Destacado',
  reply: 'Responder',
  replyTo: (name) => 'Responder a ' + name,
  edit: 'Editar',
  editYours: 'Editar tu comentario',
  delete: 'Borrar',
  deleteYours: 'Borrar tu comentario',
  report: 'Denunciar',
  reportBy: (name) => 'Denunciar el comentario de ' + name,
  save: 'Guardar',
  cancel: 'Cancelar',
  savedHeld: 'Tu comentario se guardó y está pendiente de moderación.',
  saved: 'Tu comentario se guardó.',
  deleteSure: '¿Borrar este comentario? No se puede deshacer.',
  deleted: 'Tu comentario fue borrado.',
  reasons: { spam: 'Spam', abuse: 'Abusivo o dañino', off_topic: 'Fuera de tema', other: 'Otra cosa' },
  why: '¿Por qué deberían los moderadores mirar este comentario?',
  addNote: '¿Algo que añadir? (opcional)',
  sendReport: 'Enviar denuncia',
  manyReports: 'Ya has enviado muchas denuncias. Por favor, inténtalo más tarde.',
  reported: 'Gracias. Los moderadores lo revisarán.',
  leaveReply: 'Deja una respuesta',
  leaveReplyTo: (name) => 'Responder a ' + name,
  cancelReply: 'Cancelar la respuesta',
  emailNotes: 'Tu dirección de correo electrónico no será publicada.',
  requiredMarked: ['Los campos obligatorios están marcados con ', ''],
  comment: 'Comentario',
  name: 'Nombre',
  email: 'Correo electrónico',
  website: 'Web',
  honeypot: 'Deja este campo vacío',
  consent: 'Guarda mi nombre, correo electrónico y web en este navegador para la próxima vez que comente.',
  follow: 'Recibir un aviso por correo de los comentarios siguientes.',
  approval: 'Recibir un aviso cuando se apruebe mi comentario.',
  confirmNote: 'Revisa tu bandeja de entrada para confirmar tu dirección de correo; no se envía nada más hasta que lo hagas.',
  post: 'Publicar el comentario',
  published: 'Tu comentario se ha publicado.',
  turnstile: 'Por favor, completa la comprobación sobre el botón y vuelve a publicar.',
  turnstileFailed: 'No se pudo cargar la comprobación de spam. Por favor, recarga la página para comentar.',
  mustLogIn: 'Debes estar conectado para publicar un comentario.',
  mustBe: ['Debes ', 'acceder', ' para publicar un comentario.'],
  subscribersOnly: 'Lo siento, solo los suscriptores pueden comentar en este artículo.',
  loggedInAs: (name) => 'Conectado como ' + name + '. ',
  logOut: '¿Quieres salir?',
  anonymous: 'Anónimo',
  unreachable: 'No pudimos conectar con el servidor de comentarios. Por favor, comprueba tu conexión e inténtalo de nuevo.',
  duplicate: 'Ya has publicado este comentario.',
  tooFast: (s) => 'Estás publicando comentarios demasiado rápido. Por favor, espera ' + num(s) + ' segundos e inténtalo de nuevo.',
  closed: 'Los comentarios de este artículo están cerrados.',
  closedShort: 'Los comentarios están cerrados.',
  expired: 'Tu sesión ha caducado. Por favor, recarga la página y vuelve a acceder.',
  editClosed: 'Ya pasó el tiempo para cambiar este comentario.',
  tooMany: 'Demasiadas peticiones desde tu conexión. Por favor, inténtalo más tarde.',
  serverError: 'Algo ha fallado por nuestra parte. Por favor, inténtalo de nuevo en un momento.',
  failed: 'Algo ha fallado. Por favor, inténtalo de nuevo.',
  sort: 'Ordenar los comentarios',
  orders: { oldest: 'Más antiguos', newest: 'Más recientes', top: 'Más votados', featured: 'Destacados' },
  sorted: (order) => 'Comentarios ordenados: ' + order + '.',
  upvote: (name) => 'Votar el comentario de ' + name + ': ',
  voteWord: (n) => (n === 1 ? ' voto' : ' votos'),
  votes: (n) => (n === 1 ? '1 voto' : num(n) + ' votos'),
  upvoted: 'Votado: ',
  unvoted: 'Voto retirado: ',
  voteFailed: 'Tu voto no se contó. ',
})

const catalogs = { en: en, de: de, es: es }

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

/**
 * The words for a widget on `host`.
 * @param {Element} host
 * @returns {Messages}
 */
export function messagesFor(host) {
  const lang = languageOf(host)
  const format = new Intl.NumberFormat(lang)
  return catalogs[lang](function (n) {
    return format.format(n)
  })
}
