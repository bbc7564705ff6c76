import type { ZodError } from 'zod'
import { fromZodError } from '../http/problem-response.js'

/** Every route's validation failure becomes API.md's 422 problem, thrown to the one error handler. */
export function validationHook(result: { success: true } | { success: false; error: ZodError; target: string }): undefined {
  if (!result.success) throw fromZodError(result.error, result.target)
  return undefined
}
