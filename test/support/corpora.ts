import { readFileSync } from 'node:fs'

/**
 * The attack corpora (test/fixtures/README.md), and the one fixed sample of them that goes through
 * HTTP. The pure functions under the HTTP layer (checkSubmission, checkBody, cleanText, renderBody)
 * take every entry of every corpus on every run, on both engines (they touch no database); the
 * requests, which cost milliseconds each, send the sample: every SAMPLE_EVERY-th entry plus the
 * entries that matter specially (see `specialClasses`). The sample is the same on every run and on
 * both engines: a failure seen once is seen again, and the request path is checked for both.
 */

const fixture = (name: string) => readFileSync(new URL(`../fixtures/attacks/${name}`, import.meta.url), 'utf8')
const lines = (name: string) => fixture(name).split('\n').slice(0, -1)

/** The Big List of Naughty Strings: 515 strings (unicode, control characters, injection). */
export const blns: readonly string[] = JSON.parse(fixture('blns.json')) as string[]
/** payloadbox's SQL injection list: 1,821 payloads. */
export const sqli: readonly string[] = lines('sqli-payloads.txt')
/** payloadbox's XSS list: 6,613 payloads. */
export const xss: readonly string[] = lines('xss-payloads.txt')
/** The naughty strings and the SQL injections together, each once: what test/bad-input.test.ts sends. */
export const naughty: readonly string[] = [...new Set([...blns, ...sqli])]

/**
 * What no corpus holds (none has a NUL or a lone surrogate: they are files of well-formed UTF-8)
 * but a client can still send: the files whose checks hold for any string send them too.
 */
export const edges: readonly string[] = ['\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\u0000'.repeat(300), '\r\n\r\n', '\uFEFF']

/** One entry in this many goes through HTTP, the same ones every day. */
export const SAMPLE_EVERY = 16

const encoder = new TextEncoder()
const bytes = (text: string) => encoder.encode(text).length

/**
 * Kinds of entry that the rules treat apart, and which every-16th could miss: the sample takes the
 * first two of each kind in each corpus (all of them where the kind is rare: control characters,
 * invisible characters), and the three longest entries.
 */
export const specialClasses: Record<string, { test: (s: string) => boolean; take: number }> = {
  // cleanText drops these (multiline) or makes them spaces (one line).
  'control character': { test: (s) => /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), take: Infinity },
  // cleanText drops these from one-line fields.
  'invisible or bidi character': {
    test: (s) => /[\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/.test(s),
    take: Infinity,
  },
  // No header can carry it: the header probes skip it, the body and URL probes send it.
  'beyond Latin-1': { test: (s) => /[^\u0000-\u00FF]/.test(s), take: 2 },
  'beyond the BMP (surrogate pairs)': { test: (s) => /[\u{10000}-\u{10FFFF}]/u.test(s), take: 2 },
  // Past WordPress's column sizes in bytes (url 200, name 245): the too_long answers.
  'over 200 bytes': { test: (s) => bytes(s) > 200, take: 2 },
  'over 245 bytes': { test: (s) => bytes(s) > 245, take: 2 },
  markup: { test: (s) => /<[a-z!/?]/i.test(s), take: 2 },
  quotes: { test: (s) => /['"`]/.test(s), take: 2 },
  'empty or blank': { test: (s) => s.trim() === '', take: 2 },
  'percent-encoded': { test: (s) => /%[0-9a-f]{2}/i.test(s), take: 2 },
}

/** The indexes of `corpus` that go through HTTP, in the corpus's order. */
export function sampleIndexes(corpus: readonly string[]): number[] {
  const chosen = new Set<number>()
  corpus.forEach((_, i) => {
    if (i % SAMPLE_EVERY === 0) chosen.add(i)
  })
  for (const { test, take } of Object.values(specialClasses)) {
    let taken = 0
    for (let i = 0; i < corpus.length && taken < take; i++) {
      if (test(corpus[i] ?? '')) {
        chosen.add(i)
        taken++
      }
    }
  }
  const longest = corpus
    .map((s, i) => [bytes(s), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, 3)
  for (const [, i] of longest) chosen.add(i)
  return [...chosen].sort((a, b) => a - b)
}

/** The entries of `corpus` that go through HTTP, in the corpus's order. */
export function httpSample(corpus: readonly string[]): string[] {
  return sampleIndexes(corpus).map((i) => corpus[i] ?? '')
}

/** For test names: what goes through HTTP. */
export const sampleLabel = `HTTP: every ${SAMPLE_EVERY}th entry and the special ones`

/** A few strings every hostile test sends wherever text goes: markup, SQL, control and lone-surrogate characters, huge and numeric edge values, a path. */
export const sharpStrings: readonly string[] = [
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  "' OR 1=1--",
  "'; drop table comments; --",
  '\u0000\0',
  '\uD800',
  '\u202Eevil',
  '😀'.repeat(300),
  'x'.repeat(70_000),
  '-1',
  '0',
  '9007199254740993',
  '1e309',
  '../../etc/passwd',
]
