import { escapeHtml } from '../pages/html-page.js'

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

/**
 * The little Markdown the document's descriptions use (CommonMark is what OpenAPI says they are):
 * `code`, **strong**, *emphasis* and [links](…) to http(s) or this page, escaped first.
 */
export function inlineMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\(((?:https?:\/\/|\/|#)[^)\s]*)\)/g, '<a href="$2">$1</a>')
}

/** Paragraphs split at blank lines, each with its inline Markdown. */
function markdown(text: string): string {
  return text.split(/\n\s*\n/).map((block) => `<p>${inlineMarkdown(block.trim())}</p>`).join('\n')
}

const schemaName = (ref: string) => ref.replace('#/components/schemas/', '')
const anchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`

/** A schema as JSON, every `$ref` to a named schema a link to it further down the page. */
function schemaHtml(schema: unknown): string {
  return escapeHtml(JSON.stringify(schema, null, 2)).replace(/&quot;#\/components\/schemas\/([A-Za-z0-9_.-]+)&quot;/g,
    (_match, name: string) => `&quot;<a href="#${anchor(name)}">#/components/schemas/${name}</a>&quot;`)
}

/** The OpenAPI document as one readable page, rendered on the server: no script, no CDN. */
export function renderDocs(doc: OpenApiDocument): string {
  const sections: string[] = []
  const components = (doc.components ?? {}) as { responses?: Record<string, { description?: string }>; schemas?: Record<string, unknown> }
  const shared = components.responses ?? {}
  const described = (response: { description?: string; $ref?: string }) =>
    response.$ref ? shared[response.$ref.replace('#/components/responses/', '')]?.description : response.description
  const who = (security: Record<string, string[]>[] | undefined) => (security?.length
    ? security.map((way) => Object.entries(way).map(([scheme, roles]) => `${scheme}${roles.length ? ` (${roles.join(', ')})` : ''}`).join(' + ') || 'anyone').join(' or ')
    : 'anyone')
  const bodyOf = (content: Record<string, { schema?: unknown }> | undefined, label: string) => Object.entries(content ?? {})
    .map(([type, media]) => {
      const ref = (media.schema as { $ref?: string } | undefined)?.$ref
      return ref
        ? `<p>${label} <code>${escapeHtml(type)}</code>: <a href="#${anchor(schemaName(ref))}">${escapeHtml(schemaName(ref))}</a></p>`
        : `<p>${label} <code>${escapeHtml(type)}</code>:</p><pre>${schemaHtml(media.schema)}</pre>`
    })
    .join('')
  for (const [path, pathItem] of Object.entries(doc.paths ?? {})) {
    const item = pathItem as Partial<Record<(typeof methods)[number], Operation>>
    for (const method of methods) {
      const op = item[method]
      if (!op) continue
      const params = (op.parameters ?? [])
        .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ', required' : ''})${p.description ? ` — ${inlineMarkdown(p.description)}` : ''}</li>`)
        .join('')
      const responses = Object.entries(op.responses ?? {})
        .map(([status, response]) => `<li><code>${escapeHtml(status)}</code> ${inlineMarkdown(described(response) ?? '')}${bodyOf(response.content, 'Body')}</li>`)
        .join('')
      sections.push(`<section id="${escapeHtml(`${method}-${path}`)}">
<h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2>
<p>${inlineMarkdown(op.summary ?? '')}</p>${op.description ? markdown(op.description) : ''}
<p>Who: ${escapeHtml(who(op.security))}</p>
${params ? `<h3>Parameters</h3><ul>${params}</ul>` : ''}${bodyOf(op.requestBody?.content, 'Request body')}
<h3>Responses</h3><ul>${responses}</ul>
</section>`)
    }
  }
  const schemas = Object.entries(components.schemas ?? {})
    .map(([name, schema]) => `<section id="${anchor(name)}"><h3><code>${escapeHtml(name)}</code></h3><pre>${schemaHtml(schema)}</pre></section>`)
    .join('\n')
  return `<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
${doc.info.description ? markdown(doc.info.description) : ''}
<p>The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are
RFC 9457 problem details (<code>application/problem+json</code>) with a stable <code>code</code>.</p>
${sections.join('\n')}
<h2>Schemas</h2>
${schemas}`
}
