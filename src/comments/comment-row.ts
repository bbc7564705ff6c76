import type { comments } from '../db/schema.js'

/** A comment as stored: everything, email sealed. What readers and authors see: public-views.ts. */
export type CommentRow = typeof comments.$inferSelect
