import { html, joinHtml, type SafeHtml } from '../pages/html.js'

interface Operation {
  summary?: string
  description?: string
  parameters?: { name: string; in: string; required?: boolean; description?: string }[]
  requestBody?: { content?: Record<string, { schema?: unknown }> }
  security?: Record<string, string[]>[]
  responses?: Record<string, { description?: string; $ref?: string; content?: Record<string, { schema?: unknown }> }>
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const

/** As much of an OpenAPI document as the docs page reads. */
export interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string; description?: string }
  servers?: { url: string; description?: string }[]
  tags?: { name: string; description?: string }[]
  paths?: Record<string, object>
  components?: unknown
}

// The inline forms, leftmost first: `code`, **strong**, *emphasis* (after a start, a space or a
// "("), and [text](link) to an http(s) address, a path or an anchor on this page.
const inlineForms = /`([^`]+)`|\*\*([^*]+)\*\*|(^|[\s(])\*([^*\s][^*]*)\*|\[([^\]]+)\]\(((?:https?:\/\/|\/|#)[^)\s]*)\)/g

/**
 * The little Markdown the document's descriptions use (CommonMark is what OpenAPI says they are):
 * `code`, **strong**, *emphasis* and [links](…) to http(s) or this page. The text between them,
 * a code span's content and a link's address are values of the `html` template, so escaped.
 */
export function inlineMarkdown(text: string): SafeHtml {
  const parts: SafeHtml[] = []
  let at = 0
  for (const match of text.matchAll(inlineForms)) {
    const [whole, code, strong, before, em, label, href] = match
    parts.push(html`${text.slice(at, match.index)}`)
    at = match.index + whole.length
    if (code !== undefined) parts.push(html`<code>${code}</code>`)
    else if (strong !== undefined) parts.push(html`<strong>${inlineMarkdown(strong)}</strong>`)
    else if (em !== undefined) parts.push(html`${before}<em>${inlineMarkdown(em)}</em>`)
    else if (label !== undefined && href !== undefined) parts.push(html`<a href="${href}">${inlineMarkdown(label)}</a>`)
  }
  parts.push(html`${text.slice(at)}`)
  return joinHtml(parts, '')
}

/** Paragraphs split at blank lines, each with its inline Markdown. */
function markdown(text: string): SafeHtml {
  return joinHtml(
    text.split(/\n\s*\n/).map((block) => html`<p>${inlineMarkdown(block.trim())}</p>`),
    '\n',
  )
}

const schemaName = (ref: string) => ref.replace('#/components/schemas/', '')
const anchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`

/** A schema as JSON, every `$ref` to a named schema a link to it further down the page. */
function schemaHtml(schema: unknown): SafeHtml {
  const json = JSON.stringify(schema, null, 2)
  const parts: SafeHtml[] = []
  let at = 0
  for (const match of json.matchAll(/"#\/components\/schemas\/([A-Za-z0-9_.-]+)"/g)) {
    const name = match[1] ?? ''
    parts.push(html`${json.slice(at, match.index)}&quot;<a href="#${anchor(name)}">#/components/schemas/${name}</a>&quot;`)
    at = match.index + match[0].length
  }
  parts.push(html`${json.slice(at)}`)
  return joinHtml(parts, '')
}

/** The OpenAPI document as one readable page, rendered on the server: no script, no CDN. */
export function renderDocs(doc: OpenApiDocument): SafeHtml {
  const sections: SafeHtml[] = []
  const components = (doc.components ?? {}) as { responses?: Record<string, { description?: string }>; schemas?: Record<string, unknown> }
  const shared = components.responses ?? {}
  const described = (response: { description?: string; $ref?: string }) =>
    response.$ref ? shared[response.$ref.replace('#/components/responses/', '')]?.description : response.description
  const who = (security: Record<string, string[]>[] | undefined) =>
    security?.length
      ? security
          .map(
            (way) =>
              Object.entries(way)
                .map(([scheme, roles]) => `${scheme}${roles.length ? ` (${roles.join(', ')})` : ''}`)
                .join(' + ') || 'anyone',
          )
          .join(' or ')
      : 'anyone'
  const bodyOf = (content: Record<string, { schema?: unknown }> | undefined, label: string) =>
    Object.entries(content ?? {}).map(([type, media]) => {
      const ref = (media.schema as { $ref?: string } | undefined)?.$ref
      return ref
        ? html`<p>${label} <code>${type}</code>: <a href="#${anchor(schemaName(ref))}">${schemaName(ref)}</a></p>`
        : html`<p>${label} <code>${type}</code>:</p><pre>${schemaHtml(media.schema)}</pre>`
    })
  for (const [path, pathItem] of Object.entries(doc.paths ?? {})) {
    const item = pathItem as Partial<Record<(typeof methods)[number], Operation>>
    for (const method of methods) {
      const op = item[method]
      if (!op) continue
      const params = (op.parameters ?? []).map(
        (p) =>
          html`<li><code>${p.name}</code> (${p.in}${p.required ? ', required' : ''})${p.description ? html` — ${inlineMarkdown(p.description)}` : ''}</li>`,
      )
      const responses = Object.entries(op.responses ?? {}).map(
        ([status, response]) =>
          html`<li><code>${status}</code> ${inlineMarkdown(described(response) ?? '')}${bodyOf(response.content, 'Body')}</li>`,
      )
      sections.push(html`<section id="${`${method}-${path}`}">
<h2><code>${method.toUpperCase()} ${path}</code></h2>
<p>${inlineMarkdown(op.summary ?? '')}</p>${op.description ? markdown(op.description) : ''}
<p>Who: ${who(op.security)}</p>
${params.length ? html`<h3>Parameters</h3><ul>${params}</ul>` : ''}${bodyOf(op.requestBody?.content, 'Request body')}
<h3>Responses</h3><ul>${responses}</ul>
</section>`)
    }
  }
  const schemas = Object.entries(components.schemas ?? {}).map(
    ([name, schema]) => html`<section id="${anchor(name)}"><h3><code>${name}</code></h3><pre>${schemaHtml(schema)}</pre></section>`,
  )
  return html`<h1>${doc.info.title} <small>${doc.info.version}</small></h1>
${doc.info.description ? markdown(doc.info.description) : ''}
<p>The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are
RFC 9457 problem details (<code>application/problem+json</code>) with a stable <code>code</code>.</p>
${joinHtml(sections, '\n')}
<h2>Schemas</h2>
${joinHtml(schemas, '\n')}`
}
