import * as z from 'zod/mini'
import type { $ZodIssue, $ZodRawIssue } from 'zod/v4/core'
import type { FieldCode, FieldError } from './errors.js'

const typeWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  null: 'null',
}

const sizeOf = (origin: string, limit: number | bigint): string => {
  if (origin === 'string') return `${limit} character${Number(limit) === 1 ? '' : 's'}`
  if (origin === 'array' || origin === 'set') return `${limit} item${Number(limit) === 1 ? '' : 's'}`
  return String(limit)
}

const formatWords: Record<string, string> = {
  email: 'an email address',
  url: 'a URL',
  uuid: 'a UUID',
  datetime: 'an ISO 8601 date and time',
}

/**
 * What is wrong with a value, as the end of a sentence whose subject is the field ("must be at most
 * 100"): Parley's own words for every zod issue, never zod's. A schema's own message for a check
 * (`z.regex(pattern, 'must be an article key …')`) is written the same way and takes precedence.
 */
export function predicateOf(issue: $ZodIssue | $ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'is required' : `must be ${typeWords[issue.expected] ?? issue.expected}`
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${sizeOf(issue.origin, issue.maximum)}`
    case 'too_small':
      if (issue.origin === 'string' && issue.input === '') return 'is required'
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${sizeOf(issue.origin, issue.minimum)}`
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'invalid_format':
      return formatWords[issue.format] ? `must be ${formatWords[issue.format]}` : 'is not in the form this field takes'
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`
    case 'unrecognized_keys':
      return 'is not a known field'
    default:
      return 'is not valid'
  }
}

/** The field code of an issue: the vocabulary of src/errors.ts, the same the domain's rules use. */
function codeOf(issue: $ZodIssue, input: unknown): FieldCode {
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined || input === null ? 'required' : 'invalid_type'
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array' || issue.origin === 'set' ? 'too_long' : 'too_large'
    case 'too_small':
      if (issue.origin === 'string') return input === '' ? 'required' : 'too_short'
      return issue.origin === 'array' || issue.origin === 'set' ? 'too_short' : 'too_small'
    case 'invalid_format':
      return 'invalid_format'
    case 'unrecognized_keys':
      return 'unknown_field'
    default:
      return 'invalid_value'
  }
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<PropertyKey, unknown>)[key]
  }
  return at
}

const namingField = (field: string, predicate: string) => `${field} ${predicate}.`

/** For a page that shows each message beside its field: "Must be at most 100." */
export const besideField = (_field: string, predicate: string) => `${predicate.charAt(0).toUpperCase()}${predicate.slice(1)}.`

/**
 * Zod's issues as API.md's field errors: the field's dotted path (or the part of the request, for a
 * value that is not an object), a code of Parley's vocabulary and a sentence ("limit must be at
 * most 100."). `value` is what was validated: a field missing from it is `required`, not of the
 * wrong type.
 */
export function fieldErrorsOf(issues: readonly $ZodIssue[], target: string, value: unknown, sentence = namingField): FieldError[] {
  return issues.flatMap((issue) => {
    const prefix = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const field = prefix ? `${prefix}.${key}` : key
        return { field, code: 'unknown_field' as const, message: sentence(field, issue.message) }
      })
    }
    const field = prefix || target
    return [{ field, code: codeOf(issue, valueAt(value, issue.path)), message: sentence(field, issue.message) }]
  })
}

// Every schema's default messages are Parley's (zod/mini has none of its own but "Invalid input").
z.config({ customError: (issue) => predicateOf(issue) })
