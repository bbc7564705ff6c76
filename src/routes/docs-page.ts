import { escapeHtml } from '../http/html-page.js'

interface Operation {
  summary?: string
  description?: string
  parameters?: { name: string; in: string; required?: boolean; description?: string }[]
  requestBody?: { content?: Record<string, { schema?: unknown }> }
  security?: Record<string, string[]>[]
  responses?: Record<string, { description?: string; $ref?: string }>
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const

/** As much of an OpenAPI document as the docs page reads. */
export interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string; description?: string }
  servers?: { url: string; description?: string }[]
  paths?: Record<string, object>
  components?: unknown
}

/** The OpenAPI document as one readable page, rendered on the server: no script, no CDN. */
export function renderDocs(doc: OpenApiDocument): string {
  const sections: string[] = []
  const shared = ((doc.components ?? {}) as { responses?: Record<string, { description?: string }> }).responses ?? {}
  const described = (response: { description?: string; $ref?: string }) =>
    response.$ref ? shared[response.$ref.replace('#/components/responses/', '')]?.description : response.description
  const who = (security: Record<string, string[]>[] | undefined) => (security?.length
    ? security.map((way) => Object.entries(way).map(([scheme, roles]) => `${scheme}${roles.length ? ` (${roles.join(', ')})` : ''}`).join(' + ') || 'anyone').join(' or ')
    : 'anyone')
  for (const [path, pathItem] of Object.entries(doc.paths ?? {})) {
    const item = pathItem as Partial<Record<(typeof methods)[number], Operation>>
    for (const method of methods) {
      const op = item[method]
      if (!op) continue
      const params = (op.parameters ?? [])
        .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ', required' : ''})${p.description ? ` — ${escapeHtml(p.description)}` : ''}</li>`)
        .join('')
      const body = op.requestBody?.content
        ? Object.entries(op.requestBody.content)
            .map(([type, media]) => `<p>Body <code>${escapeHtml(type)}</code>:</p><pre>${escapeHtml(JSON.stringify(media.schema, null, 2))}</pre>`)
            .join('')
        : ''
      const responses = Object.entries(op.responses ?? {})
        .map(([status, response]) => `<li><code>${escapeHtml(status)}</code> ${escapeHtml(described(response) ?? '')}</li>`)
        .join('')
      sections.push(`<section id="${escapeHtml(`${method}-${path}`)}">
<h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2>
<p>${escapeHtml(op.summary ?? '')}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
<p>Who: ${escapeHtml(who(op.security))}</p>
${params ? `<h3>Parameters</h3><ul>${params}</ul>` : ''}${body}
<h3>Responses</h3><ul>${responses}</ul>
</section>`)
    }
  }
  return `<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are
RFC 9457 problem details (<code>application/problem+json</code>) with a stable <code>code</code>.</p>
${sections.join('\n')}
<h2>Schemas</h2><pre>${escapeHtml(JSON.stringify(doc.components ?? {}, null, 2))}</pre>`
}
