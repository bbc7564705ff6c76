/**
 * The bench's data set, as a plan independent of any database: one big article of 1,000
 * approved comments (200 top-level threads, replies down to depth 5), 999 small articles
 * of 10 each, and one more small one that the hot-article workload posts to. Deterministic,
 * so that PostgreSQL and PGlite hold the same rows and runs compare.
 */

export interface PlannedComment {
  /** Index of the parent in the article's `comments`; parents always come before their replies. */
  parent: number | null
  depth: number
  /** Index into the commenter pool. */
  author: number
  body: string
}

export interface PlannedArticle {
  key: string
  title: string
  url: string
  /** In creation order. */
  comments: PlannedComment[]
}

export const BIG_KEY = 'big'
export const SMALL_COUNT = 999
export const smallKey = (n: number) => `small-${n}`
/** The article every post of the hot-article workload goes to: a story everyone comments on at once. */
export const HOT_KEY = 'hot'
export const COMMENTER_COUNT = 300

/**
 * Thread shapes as parent offsets within a thread (null: the top-level comment). Half the big
 * threads are a chain to depth 5 (6 comments), half a small tree of 4, so 200 threads hold
 * exactly 1,000 comments and the deepest stored depth (5) is past threadDepth's display clamp.
 */
const CHAIN_TO_DEPTH_5 = [null, 0, 1, 2, 3, 4]
const TREE_OF_4 = [null, 0, 0, 1]
const SMALL_THREADS = [
  [null, 0, 1],
  [null, 0, 0],
  [null, 0],
  [null, 0],
]

/** A small seeded PRNG (mulberry32): the same bodies on every run and engine. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const WORDS = (
  'the article misses one point about how local councils fund roads and schools while the ' +
  'budget keeps growing every year I read it twice and still think the numbers do not add up ' +
  'my neighbour works there and says the same thing but nobody asks people who actually live ' +
  'here good reporting though thanks for following up on last week story about the bridge'
).split(' ')

function sentence(next: () => number): string {
  const length = 6 + Math.floor(next() * 14)
  const words = Array.from({ length }, () => WORDS[Math.floor(next() * WORDS.length)] ?? 'the')
  const text = words.join(' ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

/** Blog-comment sized bodies (about 100–700 characters), some with a second paragraph or a link. */
export function body(next: () => number): string {
  const sentences = Array.from({ length: 1 + Math.floor(next() * 5) }, () => sentence(next))
  if (next() < 0.15) sentences.push('Source: https://news.example/reports/2026/budget.')
  if (sentences.length > 2 && next() < 0.4) sentences.splice(2, 0, '\n\n')
  return sentences.join(' ').replace(/ \n\n /, '\n\n')
}

function threadsOf(shapes: (number | null)[][], next: () => number): PlannedComment[] {
  const comments: PlannedComment[] = []
  for (const shape of shapes) {
    const start = comments.length
    for (const offset of shape) {
      const parent = offset === null ? null : start + offset
      const depth = parent === null ? 0 : (comments[parent]?.depth ?? 0) + 1
      comments.push({ parent, depth, author: Math.floor(next() * COMMENTER_COUNT), body: body(next) })
    }
  }
  return comments
}

export function planDataset(): PlannedArticle[] {
  const next = random(20_261_126)
  const bigShapes = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? CHAIN_TO_DEPTH_5 : TREE_OF_4))
  const articles: PlannedArticle[] = [
    { key: BIG_KEY, title: 'The budget, explained', url: 'https://news.example/big', comments: threadsOf(bigShapes, next) },
  ]
  for (let n = 1; n <= SMALL_COUNT; n++) {
    const key = smallKey(n)
    articles.push({ key, title: `Story ${n}`, url: `https://news.example/${key}`, comments: threadsOf(SMALL_THREADS, next) })
  }
  // Planned last, so that the articles before it keep the bodies they had before it was added.
  articles.push({
    key: HOT_KEY,
    title: 'Breaking: the budget vote',
    url: `https://news.example/${HOT_KEY}`,
    comments: threadsOf(SMALL_THREADS, next),
  })
  return articles
}

export interface Commenter {
  name: string
  email: string
  url: string | null
}

const FIRST_NAMES = ['Ann', 'Bruno', 'Chiara', 'Dmitri', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kavya', 'Luis']

export function commenter(index: number): Commenter {
  const first = FIRST_NAMES[index % FIRST_NAMES.length] ?? 'Reader'
  const name = `${first} ${String.fromCharCode(65 + (index % 26))}.`
  return {
    name,
    email: `reader${index}@mail.example`,
    url: index % 4 === 0 ? `https://blog.example/~reader${index}` : null,
  }
}
