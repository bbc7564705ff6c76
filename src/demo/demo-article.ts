import { html, joinHtml, type SafeHtml } from '../pages/html.js'

/** The demo's article: a fixed key, registered by its first comment as API.md allows. */
export const demoArticle = {
  key: 'demo',
  title: 'A year of the Thursday repair café: 412 kilos kept out of the skip',
  byline: 'By Morven Ellis · The Harbour Street Gazette',
  paragraphs: [
    'Every Thursday evening since last November, the back room of the Harbour Street library has smelled of solder and strong tea. Residents queue with toasters that no longer pop, lamps that flicker, trousers with split seams and, on one memorable night, a 1970s sewing machine carried in on a sack trolley.',
    "The volunteers keep a ledger of everything that comes through the door. In its first twelve months the café saw 531 items, fixed 338 of them outright and sent another 64 home with a part to order and a note explaining how to fit it. Weighed on the library's parcel scales, the repaired goods come to 412 kilos that would otherwise have gone into the council's skip.",
    '“Most things fail in a boring way,” says Idris Okafor, a retired lift engineer who runs the electrical table. “A fuse, a worn brush in a motor, a cable that has been bent in the same place for ten years. People expect the answer to be a new one. Often it is a screwdriver and twenty minutes.”',
    'Not everything can be saved. Sealed kettles, glued-shut headphones and printers whose manufacturers refuse to sell parts make up most of the failures, and the volunteers now keep a list of the worst offenders pinned by the door. The library plans to add a second evening in the spring if enough new fixers come forward, and is asking in particular for anyone who can mend bicycles.',
  ],
} as const

/** The article as the page shows it, above its comments. */
export function demoArticleHtml(links: SafeHtml): SafeHtml {
  return html`<header class="site"><a href="/demo">The Harbour Street Gazette</a></header>
<main>
<article class="post">
<h1>${demoArticle.title}</h1>
<p class="byline">${demoArticle.byline}</p>
${joinHtml(
  demoArticle.paragraphs.map((p) => html`<p>${p}</p>`),
  '\n',
)}
</article>
<p class="switch">${links}</p>`
}

/** The pages' own styles (sent with the page's nonce); the widget brings its own. */
export const demoCss = `
main{max-width:44rem;margin:0 auto}
.site{max-width:44rem;margin:0 auto 1.5rem;padding-bottom:.75rem;border-bottom:3px double currentColor;font:700 1.1rem/1.2 Georgia,serif;letter-spacing:.02em}
.site a{color:inherit;text-decoration:none}
.post h1{font:700 2rem/1.2 Georgia,serif;margin:0 0 .5rem}
.post p{font:1.1rem/1.65 Georgia,serif}
.byline{color:#646970;font-size:.95rem!important;font-family:system-ui,sans-serif!important}
.switch{margin:2rem 0;padding:.75rem 1rem;border-left:4px solid #2271b1;background:rgba(34,113,177,.08);font-size:.95rem}
@media (prefers-color-scheme:dark){.byline{color:#a7aaad}}
`

/** WordPress's comment list and form, styled for the no-JavaScript page. */
export const plainCss = `
.comments-title{font:700 1.4rem/1.3 Georgia,serif;margin:2rem 0 1rem}
.comment-list,.comment-list .children{list-style:none;margin:0;padding:0}
.comment-list .children{margin-left:1.25rem;padding-left:1rem;border-left:2px solid rgba(127,127,127,.35)}
.comment-body{padding:.75rem 0}
.comment-meta{display:flex;gap:.6rem;align-items:center}
.comment-author{display:flex;gap:.6rem;align-items:center}
.avatar{flex:none;width:2.25rem;height:2.25rem}
.comment-metadata{display:block;font-size:.85rem}
.comment-metadata a{color:inherit}
.says,.screen-reader-text{position:absolute;left:-10000px}
.parley-badge{padding:0 .4rem;border-radius:4px;background:#2271b1;color:#fff;font-size:.75rem;vertical-align:middle}
.comment-content{overflow-wrap:anywhere}
.comment-awaiting-moderation{display:block;margin-top:.5rem;color:#8a5a00}
.reply{font-size:.9rem}
.comment-respond{margin-top:1.5rem}
.comment-respond label{display:block;font-weight:600;margin-bottom:.25rem}
.comment-respond input[type=text],.comment-respond input[type=email],.comment-respond input[type=url],.comment-respond textarea{display:block;width:100%;box-sizing:border-box;padding:.5rem;font:inherit;border:1px solid #8c8f94;border-radius:4px}
.comment-respond .required{color:#b32d2e}
.comment-subscription-form label{display:inline;font-weight:400}
.comment-notes{color:#646970;font-size:.95rem}
.submit{font:inherit;font-weight:600;padding:.5rem 1.1rem;border:0;border-radius:4px;background:#2271b1;color:#fff;cursor:pointer}
.nav-links{margin:1rem 0}
@media (prefers-color-scheme:dark){.comment-notes{color:#a7aaad}.comment-awaiting-moderation{color:#f0c33c}.comment-respond input,.comment-respond textarea{background:#2c2d30;color:#e6e6e6;border-color:#50535a}.submit{background:#72aee6;color:#101517}}
`

/** What the widget adds to the server-rendered page (/demo/enhanced): a theme styles the same classes. */
export const enhancedCss = `
.edit-form label,.report-form label{display:block;margin-top:.5rem}
.edit-form textarea,.report-form textarea{display:block;width:100%;font:inherit}
.field-error,.comment-form-error,.parley-error{color:#b32d2e}
`
