/** The dashboard's look: WordPress's admin palette, light and dark, no images, no web fonts. */
export const adminCss = `
:root{color-scheme:light dark;--bg:#f0f0f1;--panel:#fff;--text:#1d2327;--muted:#646970;--line:#dcdcde;--accent:#2271b1;--on-accent:#fff;
--sel:#f0f6fc;--bar:#1d2327;--bar-text:#f0f0f1;--danger:#b32d2e;--ok:#007017;--warn:#8a6100;--soft:rgba(127,127,127,.12)}
@media (prefers-color-scheme:dark){:root{--bg:#121416;--panel:#1c1f22;--text:#e3e5e8;--muted:#9ba2a9;--line:#343a40;--accent:#72aee6;--on-accent:#0f1113;
--sel:#1c2b3a;--bar:#0b0c0d;--danger:#ff8085;--ok:#68de7c;--warn:#f2d675}}
body{max-width:none;margin:0;padding:0;background:var(--bg);color:var(--text);font-size:15px}
a{color:var(--accent)}
h1{font-size:1.45rem;font-weight:600;margin:.2rem 0 1rem}
h2{font-size:1.1rem;font-weight:600;margin:0 0 .75rem}
main{max-width:80rem;margin:0 auto;padding:1.25rem}
main.narrow{max-width:24rem;padding-top:12vh}
.lead{margin:0 0 .5rem}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.45rem 1.25rem;background:var(--bar);color:var(--bar-text)}
.bar a{color:var(--bar-text);text-decoration:none;padding:.3rem .6rem;border-radius:4px}
.bar a:hover,.bar a[aria-current=page]{background:rgba(255,255,255,.14)}
.bar .brand{font-weight:700;letter-spacing:.02em;padding-left:0}
.bar .me{margin:0 0 0 auto;display:flex;align-items:center;gap:.75rem;font-size:.9em;color:#c3c4c7}
.role{font-size:.8em;padding:.05em .45em;border:1px solid #50575e;border-radius:1em;margin-left:.25em}
.btn{font:inherit;font-size:.875rem;line-height:1.4;padding:.28rem .7rem;border:1px solid var(--line);border-radius:4px;background:var(--panel);color:var(--text);cursor:pointer;text-decoration:none;display:inline-block;white-space:nowrap}
.btn:hover,.btn:focus-visible{border-color:var(--accent);color:var(--accent)}
.btn-primary{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}
.btn-primary:hover,.btn-primary:focus-visible{color:var(--on-accent);filter:brightness(1.08)}
.btn-danger{color:var(--danger);border-color:currentColor}
.btn-bar{background:transparent;color:var(--bar-text);border-color:#50575e}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:6px}
.pad{padding:1rem 1.25rem}
.notice{margin:0 0 1rem;padding:.6rem .9rem;background:var(--panel);border:1px solid var(--line);border-left:4px solid var(--ok);border-radius:4px}
.notice.error{border-left-color:var(--danger)}
.meta,.hint{color:var(--muted);font-size:.85rem}
.hint{margin-top:1.5rem}
kbd{font:.8rem ui-monospace,monospace;padding:.05rem .35rem;border:1px solid var(--line);border-bottom-width:2px;border-radius:3px;background:var(--panel)}
code{word-break:break-word}
.js-only{display:none}
.js .js-only{display:revert}
.js .no-js{display:none}
.tabs{display:flex;flex-wrap:wrap;gap:.25rem;margin:0 0 1rem;padding:0;list-style:none;border-bottom:1px solid var(--line)}
.tabs a{display:block;padding:.45rem .8rem;color:var(--muted);text-decoration:none;border-bottom:2px solid transparent;margin-bottom:-1px}
.tabs a[aria-current=page]{color:var(--text);border-bottom-color:var(--accent);font-weight:600}
.count{display:inline-block;min-width:1.5em;margin-left:.35em;padding:0 .4em;border-radius:1em;background:var(--soft);font-size:.78rem;text-align:center}
.toolbar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:0 0 .75rem}
.toolbar .grow{flex:1}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
input,select,textarea{font:inherit;font-size:.9rem;color:var(--text);background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:.35rem .5rem}
input:focus,select:focus,textarea:focus,.btn:focus-visible,tr:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
textarea{width:100%;box-sizing:border-box;min-height:7rem;resize:vertical}
input[type=checkbox]{width:1rem;height:1rem;accent-color:var(--accent)}
input:not([type=checkbox]),select{height:2.25rem;box-sizing:border-box}
table{width:100%;border-collapse:collapse}
th,td{padding:.6rem .75rem;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
tr:last-child>td{border-bottom:0}
th{font-size:.8rem;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.queue td.pick,.queue th.pick{width:1.5rem;padding-right:0}
.queue td.author{width:15rem;overflow-wrap:anywhere;font-size:.9rem}
.queue tr{scroll-margin:4rem}
.queue tr.is-selected>td{background:var(--sel)}
.queue tr.is-selected>td:first-child{box-shadow:inset 3px 0 0 var(--accent)}
.queue tr:focus{outline:none}
.body{overflow-wrap:anywhere}
.body p{margin:.35rem 0}
.body blockquote{margin:.35rem 0;padding-left:.75rem;border-left:3px solid var(--line)}
.actions{display:flex;flex-wrap:wrap;gap:.35rem;margin-top:.5rem}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.05rem .5rem;border-radius:1em;background:var(--soft)}
.badge.pending{color:var(--warn);background:color-mix(in srgb,var(--warn) 14%,transparent)}
.badge.approved{color:var(--ok);background:color-mix(in srgb,var(--ok) 14%,transparent)}
.badge.spam{color:var(--danger);background:color-mix(in srgb,var(--danger) 14%,transparent)}
.flag{font-size:.85rem;margin:.35rem 0 0;color:var(--warn)}
.flag.spam,.flag.report{color:var(--danger)}
.empty{padding:2.5rem;text-align:center;color:var(--muted)}
.pager{display:flex;gap:.5rem;justify-content:flex-end;margin-top:.75rem}
.columns{display:grid;grid-template-columns:minmax(0,1fr) 24rem;gap:1rem;align-items:start}
.page-actions{margin-bottom:1rem}
.stack{display:grid;gap:1rem}
dl.facts{display:grid;grid-template-columns:5.75rem minmax(0,1fr);gap:.35rem .75rem;margin:0;font-size:.9rem}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:break-word;min-width:0}
.thread{list-style:none;margin:0;padding:0}
.thread li{padding:.6rem 1.25rem;border-top:1px solid var(--line)}
.thread li:first-child{border-top:0}
.thread li.current{background:var(--sel);box-shadow:inset 3px 0 0 var(--accent)}
.thread .d1{padding-left:2.75rem}.thread .d2{padding-left:4.25rem}.thread .d3{padding-left:5.75rem}.thread .d4{padding-left:7.25rem}.thread .d5,.thread .d6,.thread .d7,.thread .d8,.thread .d9{padding-left:8.75rem}
.panel>h2.pad{padding-bottom:.25rem;margin:0}
.checks{list-style:none;margin:0;padding:0;font-size:.9rem}
.checks li{padding:.4rem 0;border-top:1px solid var(--line)}
.checks li:first-child{border-top:0;padding-top:0}
.checks .meta{display:block}
.verdict{display:inline-block;min-width:4.2rem;font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;color:var(--ok)}
.verdict.hold{color:var(--warn)}
.verdict.spam{color:var(--danger)}
.field{display:grid;gap:.3rem;margin:0 0 .9rem}
.field label{font-weight:600;font-size:.9rem}
.field .meta{margin:0}
.check{display:flex;gap:.5rem;align-items:center;margin:0 0 .9rem}
.error-text{color:var(--danger);font-size:.85rem;margin:0}
[aria-invalid=true]{border-color:var(--danger)}
.row{display:grid;grid-template-columns:17rem minmax(0,1fr);gap:.35rem 1.5rem;padding:.65rem 0;border-top:1px solid var(--line)}
fieldset .row:first-of-type{border-top:0}
.row>label{font-weight:600;font-size:.9rem;padding-top:.35rem}
.control{display:grid;gap:.3rem;justify-items:start;align-content:start;min-width:0}
.control textarea{max-width:40rem}
.control .check,.control .meta{margin:0}
select{max-width:100%}
fieldset{border:1px solid var(--line);border-radius:6px;margin:0 0 1rem;padding:.25rem 1rem}
legend{font-weight:600;padding:0 .35rem}
.cards{display:grid;gap:.75rem;margin-bottom:1.5rem}
.card-head{display:flex;gap:.75rem;align-items:baseline;flex-wrap:wrap;margin-bottom:.5rem}
.inline{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}
.inline .field,.inline .check{margin-bottom:0}
dialog{max-width:26rem;border:1px solid var(--line);border-radius:8px;background:var(--panel);color:var(--text);padding:1.25rem 1.5rem}
dialog::backdrop{background:rgba(0,0,0,.45)}
dialog td{padding:.3rem .5rem;border:0}
@media (max-width:760px){.columns,.row{grid-template-columns:1fr}.queue td.author{width:auto;display:block;border:0;padding-bottom:0}.queue td.comment{display:block}.queue td.pick{float:left}}
`
