import { pathIds } from './comment-path.js'
import { ANONYMOUS, displayDepth, type ThreadComment } from './public-views.js'
import type { ThreadCursor, ThreadOrder, ThreadRow } from './thread-query.js'

export interface ShapedPage {
  comments: ThreadComment[]
  next: ThreadCursor | null
}

function toNode(row: ThreadRow, depth: number): ThreadComment {
  const id = row.id ?? 0
  if (!row.published) {
    return {
      id,
      parentId: row.parent_id,
      depth,
      html: '',
      createdAt: row.created_at,
      editedAt: null,
      removed: true,
      author: { name: '', url: null, avatar: null, moderator: false, verified: false, avatarUrl: null },
      featured: false,
      votes: 0,
      replies: [],
    }
  }
  return {
    id,
    parentId: row.parent_id,
    depth,
    author: {
      name: row.author_name || ANONYMOUS,
      url: row.author_url,
      avatar: row.avatar,
      moderator: row.by_moderator,
      verified: row.verified,
      avatarUrl: row.author_avatar_url,
    },
    html: row.html ?? '',
    createdAt: row.created_at,
    editedAt: row.edited_at,
    removed: false,
    featured: row.featured,
    votes: row.votes,
    replies: [],
  }
}

const byTime = (times: Map<number, number>) => (a: ThreadComment, b: ThreadComment) =>
  (times.get(a.id) ?? 0) - (times.get(b.id) ?? 0) || a.id - b.id

/** Where the next page starts, after this top-level comment (`featured`: this pick). */
function cursorAfter(row: ThreadRow, order: ThreadOrder): ThreadCursor {
  if (order === 'featured') return { at: row.featured_ms ?? row.created_ms, id: row.id ?? 0 }
  if (order === 'top') return { at: row.created_ms, id: row.id ?? 0, votes: row.votes }
  return { at: row.created_ms, id: row.id ?? 0 }
}

/** The editors' picks, each on its own at depth 0 (a reply keeps its `parentId`), the latest pick first. */
function shapePicks(rows: ThreadRow[], limit: number): ShapedPage {
  const comments: ThreadComment[] = []
  let last: ThreadCursor | null = null
  for (const row of rows) {
    if (row.id === null) continue
    if (row.n > limit) return { comments, next: last }
    comments.push(toNode(row, 0))
    last = cursorAfter(row, 'featured')
  }
  return { comments, next: null }
}

/**
 * Shapes a page's rows (top-level order, then depth first) into trees in one pass. Comments
 * deeper than `threadDepth - 1` are shown at that depth among the replies of their ancestor at
 * `threadDepth - 2`, in time order, keeping their true `parentId` (API.md).
 */
export function shapeThread(rows: ThreadRow[], limit: number, threadDepth: number, order: ThreadOrder = 'oldest'): ShapedPage {
  if (order === 'featured') return shapePicks(rows, limit)
  const maxDepth = threadDepth - 1
  const roots: ThreadComment[] = []
  const nodes = new Map<number, ThreadComment>()
  const times = new Map<number, number>()
  const flattened = new Set<ThreadComment>()
  let next: ThreadCursor | null = null
  let last: ThreadCursor | null = null

  for (const row of rows) {
    if (row.id === null) continue
    if (row.n > limit) {
      next = last
      continue
    }
    if (row.depth === 0) {
      const node = toNode(row, 0)
      roots.push(node)
      nodes.set(row.id, node)
      last = cursorAfter(row, order)
      continue
    }
    const clamped = row.depth > maxDepth
    const parentId = clamped ? pathIds(row.path)[maxDepth - 1] : row.parent_id
    const parent = parentId === undefined || parentId === null ? undefined : nodes.get(parentId)
    if (!parent) continue
    const node = toNode(row, displayDepth(row.depth, threadDepth))
    parent.replies.push(node)
    nodes.set(row.id, node)
    if (clamped) {
      times.set(row.id, row.created_ms)
      flattened.add(parent)
    }
  }
  if (flattened.size > 0) {
    for (const row of rows) if (row.id !== null && !times.has(row.id)) times.set(row.id, row.created_ms)
    for (const parent of flattened) parent.replies.sort(byTime(times))
  }
  return { comments: roots, next }
}

export function encodeCursor(cursor: ThreadCursor): string {
  const base = `${cursor.at.toString(36)}.${cursor.id.toString(36)}`
  return cursor.votes === undefined ? base : `${base}.${cursor.votes.toString(36)}`
}

/** The last millisecond of year 9999: past it, ISO strings grow a sign (+010000-…) that PostgreSQL refuses. */
const LAST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
const MAX_INT = 2_147_483_647

export function decodeCursor(text: string): ThreadCursor | undefined {
  const match = /^([0-9a-z]{1,12})\.([0-9a-z]{1,8})(?:\.([0-9a-z]{1,7}))?$/.exec(text)
  if (!match?.[1] || !match[2]) return undefined
  const at = parseInt(match[1], 36)
  const id = parseInt(match[2], 36)
  if (!Number.isSafeInteger(at) || at > LAST_TIME || id > MAX_INT) return undefined
  if (match[3] === undefined) return { at, id }
  const votes = parseInt(match[3], 36)
  return votes > MAX_INT ? undefined : { at, id, votes }
}
