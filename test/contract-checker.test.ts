import { describe, expect, it } from 'vitest'
import { contractChecker } from './support/contract.js'

const url = (path: string) => `http://parley.test${path}`
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } })
const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'T', status, code, detail: 'D.' }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  })

/** What the checker finds in the one response given. */
async function findings(method: string, path: string, res: Response): Promise<string> {
  const checker = contractChecker()
  checker.record(method, url(path), res)
  try {
    await checker.verify()
    return ''
  } catch (error) {
    return String(error)
  }
}

// The checker that every test file's afterAll runs: what it lets through, and what it catches.
describe('the contract checker', () => {
  it('passes responses as the document describes them', async () => {
    expect(await findings('GET', '/healthz', json({ status: 'ok' }, 200, { 'Cache-Control': 'no-store' }))).toBe('')
    expect(await findings('GET', '/api/v1/articles/a/comments', problem(422, 'validation_failed'))).toBe('')
    expect(await findings('DELETE', '/healthz', problem(405, 'method_not_allowed', { Allow: 'GET, HEAD' }))).toBe('')
    expect(await findings('GET', '/widget.js', new Response('x', { headers: { 'Content-Type': 'text/javascript' } }))).toBe('')
  })

  it('catches an undocumented status, content type or header, a missing required header, and a body off its schema', async () => {
    expect(await findings('GET', '/healthz', json({ status: 'ok' }, 418))).toContain('status 418 is not documented for GET /healthz')
    expect(
      await findings('GET', '/healthz', new Response('ok', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } })),
    ).toContain('answered text/plain, documented: application/json')
    expect(await findings('GET', '/healthz', json({ status: 'ok', secret: 1 }, 200, { 'Cache-Control': 'no-store' }))).toContain(
      'must NOT have additional properties (secret)',
    )
    expect(await findings('GET', '/healthz', json({ status: 'ok' }))).toContain('200 without its cache-control header')
    expect(await findings('POST', '/api/v1/articles/a/comments', problem(429, 'too_fast'))).toContain('429 without its retry-after header')
    expect(await findings('GET', '/readyz', json({ status: 'ready' }, 200, { 'Cache-Control': 'no-store', ETag: '"x"' }))).toContain(
      'carries etag, which the document does not announce',
    )
    expect(await findings('GET', '/api/v1/articles/a/comments', problem(422, 'no_such_code'))).toContain(
      '/code must be equal to one of the allowed values',
    )
    expect(await findings('GET', '/api/v1/articles/a/comments', problem(422, 'not_found'))).toContain('problem not_found with status 422')
    expect(await findings('DELETE', '/healthz', problem(405, 'method_not_allowed'))).toContain('405 without Allow')
    expect(await findings('PUT', '/api/v1/nothing', json({}))).toContain('is not a problem')
  })
})
