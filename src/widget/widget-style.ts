import { avatarCss } from './avatar-palette.js'

// The custom properties below are the widget's theming surface (README, "Embedding the widget").
// They are set on :host, so a page's own rule on the host element (`#comments { --parley-accent: … }`)
// wins over them in both colour schemes.
const light = '--parley-text:#1d2327;--parley-muted:#646970;--parley-background:#fff;--parley-surface:#fff;'
  + '--parley-border:#c3c4c7;--parley-accent:#2271b1;--parley-accent-text:#fff;--parley-error:#b32d2e;'
  + '--parley-notice:#8a5a00;--parley-radius:4px;color-scheme:light'
const dark = '--parley-text:#e6e6e6;--parley-muted:#a7aaad;--parley-background:#1e1f21;--parley-surface:#2c2d30;'
  + '--parley-border:#50535a;--parley-accent:#72aee6;--parley-accent-text:#101517;--parley-error:#ff8085;'
  + '--parley-notice:#f0c33c;color-scheme:dark'

/** The widget's stylesheet, adopted by its shadow root (so host pages' CSS neither leaks in nor out). */
export const widgetStyle = `
:host{display:block;${light}}
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){${dark}}}
:host([data-theme=dark]){${dark}}
*{box-sizing:border-box}
[hidden]{display:none!important}
.parley{font-family:var(--parley-font);font-size:var(--parley-font-size);line-height:1.5;color:var(--parley-text);background:var(--parley-background);border:1px solid var(--parley-border);border-radius:var(--parley-radius);padding:1.25rem}
h2,h3{margin:0 0 .75rem;line-height:1.3}
h2{font-size:1.3em}h3{font-size:1.15em}
h2:focus,article:focus,.notice:focus{outline:none}
ol{list-style:none;margin:0;padding:0}
.children{margin:0 0 0 1.25rem;padding-left:1rem;border-left:2px solid var(--parley-border)}
.children:empty{display:none}
.comment-body{padding:.75rem 0}
article:focus-visible{outline:2px solid var(--parley-accent);outline-offset:4px;border-radius:2px}
.comment-meta{display:flex;align-items:center;gap:.6rem;flex-wrap:wrap}
.avatar{flex:none;width:2.25rem;height:2.25rem;border-radius:50%;display:inline-flex;align-items:center;justify-content:center;color:#fff;font-weight:700}
${avatarCss}
.fn{font-weight:700}
.fn a{color:inherit}
.badge{margin-left:.4rem;padding:0 .4rem;border-radius:var(--parley-radius);background:var(--parley-accent);color:var(--parley-accent-text);font-size:.75em;vertical-align:middle}
.comment-metadata{display:block;font-size:.85em;color:var(--parley-muted)}
.comment-content{overflow-wrap:anywhere;margin-top:.25rem}
.comment-content p{margin:.5rem 0}
.comment-content a{color:var(--parley-accent)}
.comment-content blockquote{margin:.5rem 0;padding-left:.75rem;border-left:3px solid var(--parley-border);color:var(--parley-muted)}
.comment-awaiting-moderation{margin:.5rem 0 0;font-style:italic;color:var(--parley-notice)}
.removed{margin:0;font-style:italic;color:var(--parley-muted)}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin-top:.25rem}
.link{background:none;border:0;padding:0;font:inherit;font-size:.9em;color:var(--parley-accent);text-decoration:underline;cursor:pointer}
.button,.submit{font:inherit;font-weight:600;padding:.5rem 1.1rem;border:1px solid var(--parley-accent);border-radius:var(--parley-radius);background:var(--parley-accent);color:var(--parley-accent-text);cursor:pointer}
.button.quiet{background:transparent;color:var(--parley-accent)}
.button.danger{background:var(--parley-error);border-color:var(--parley-error);color:#fff}
.submit[disabled],.button[disabled]{opacity:.6;cursor:progress}
.more{margin:1rem 0}
:focus-visible{outline:2px solid var(--parley-accent);outline-offset:2px}
.comment-respond{margin-top:1.25rem}
.comment-list .comment-respond{margin:.5rem 0 1rem;padding:1rem;border:1px dashed var(--parley-border);border-radius:var(--parley-radius)}
form p{margin:0 0 1rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
.required{color:var(--parley-error)}
input[type=text],input[type=email],input[type=url],textarea,select{display:block;width:100%;padding:.5rem .6rem;font:inherit;color:var(--parley-text);background:var(--parley-surface);border:1px solid var(--parley-border);border-radius:var(--parley-radius)}
textarea{resize:vertical}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--parley-error);box-shadow:0 0 0 1px var(--parley-error)}
.comment-notes{color:var(--parley-muted);font-size:.9em}
.comment-form-cookies-consent{display:flex;gap:.5rem;align-items:baseline}
.comment-form-cookies-consent label{font-weight:400;margin:0}
.field-error,.form-error{display:block;margin:.3rem 0 0;color:var(--parley-error);font-size:.9em;font-weight:600}
.form-error{margin:0 0 1rem}
.notice{margin:.5rem 0;color:var(--parley-muted)}
.closed{margin:1rem 0 0;font-style:italic}
.edit-form,.report-form,.confirm{margin:.5rem 0;display:grid;gap:.5rem}
.edit-form label,.report-form label{margin:0}
.sr-only,.hp{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (max-width:480px){.parley{padding:.75rem}.children{margin-left:.5rem;padding-left:.6rem}}
`
