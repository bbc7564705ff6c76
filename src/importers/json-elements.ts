import { ImportRefused } from './import-records.js'

export interface Position {
  line: number
  column: number
}

type State = 'start' | 'key' | 'keyString' | 'colon' | 'value' | 'element' | 'capture' | 'afterElement' | 'afterValue' | 'done'

const isSpace = (ch: string) => ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t'

/**
 * Characters of one element, far past any Parley writes (a comment's text is at most 65,525
 * bytes, its HTML a few times that): a larger one is skipped as it streams, never held.
 */
export const MAX_ELEMENT = 2 * 1024 * 1024
/** Parley's property names are short words. */
const MAX_KEY = 100

/**
 * Streams a JSON document shaped `{ "name": value, "list": [ element, … ] }`: each top-level
 * value, and each element of a top-level array, is parsed on its own as it completes, so a
 * 100 MB export never sits in memory whole. Anything not well-formed refuses the file with its
 * line and column; an element over MAX_ELEMENT characters goes to `onTooLarge` unparsed (its
 * syntax is not checked past that point).
 */
export class JsonTopLevel {
  private state: State = 'start'
  private line = 1
  private column = 0
  private key = ''
  private keyEscaped = false
  private first = true
  private inArray = false
  private emptyArray = false
  private piece = ''
  private start: Position = { line: 1, column: 1 }
  private depth = 0
  private inString = false
  private escaped = false
  private oversized = false

  constructor(
    private readonly onValue: (key: string, value: unknown, at: Position) => void,
    private readonly onElement: (key: string, value: unknown, at: Position) => void,
    private readonly onTooLarge: (key: string, at: Position) => void,
  ) {}

  /** Adds to the value being captured, up to MAX_ELEMENT characters. */
  private append(text: string): void {
    if (this.oversized) return
    if (this.piece.length + text.length > MAX_ELEMENT) {
      this.oversized = true
      this.piece = ''
    } else this.piece += text
  }

  private fail(reason: string): never {
    throw new ImportRefused(reason, this.line, this.column)
  }

  private unexpected(ch: string): never {
    this.fail(`unexpected ${JSON.stringify(ch)} in the JSON document`)
  }

  private begin(ch: string): void {
    this.state = 'capture'
    this.emptyArray = false
    this.piece = ''
    this.start = { line: this.line, column: this.column }
    this.depth = ch === '{' || ch === '[' ? 1 : 0
    this.inString = ch === '"'
    this.escaped = false
    this.oversized = false
  }

  /** The value being captured is complete: parse it alone, mapping its errors to the file. */
  private finish(): void {
    if (this.oversized) {
      if (this.inArray) this.onTooLarge(this.key, this.start)
      else this.fail(`the value of "${this.key}" is larger than ${MAX_ELEMENT} characters`)
      this.state = this.inArray ? 'afterElement' : 'afterValue'
      return
    }
    let value: unknown
    try {
      value = JSON.parse(this.piece)
    } catch (error) {
      const offset = Number(/at position (\d+)/.exec(String(error))?.[1] ?? 0)
      const before = this.piece.slice(0, offset).split('\n')
      const line = this.start.line + before.length - 1
      const column = before.length > 1 ? (before[before.length - 1]?.length ?? 0) + 1 : this.start.column + offset
      throw new ImportRefused(
        `not valid JSON: ${String(error instanceof Error ? error.message : error).replace(/ in JSON at position \d+.*$/, '')}`,
        line,
        column,
      )
    }
    if (this.inArray) this.onElement(this.key, value, this.start)
    else this.onValue(this.key, value, this.start)
    this.state = this.inArray ? 'afterElement' : 'afterValue'
  }

  write(chunk: string): void {
    let captureFrom = this.state === 'capture' ? 0 : -1
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i] ?? ''
      if (ch === '\n') {
        this.line++
        this.column = 0
      } else this.column++
      if (this.state === 'capture') {
        if (this.inString) {
          if (this.escaped) this.escaped = false
          else if (ch === '\\') this.escaped = true
          else if (ch === '"') this.inString = false
          if (this.inString || this.depth > 0) continue
        } else if (ch === '"') {
          this.inString = true
          continue
        } else if (ch === '{' || ch === '[') {
          this.depth++
          continue
        } else if (ch === '}' || ch === ']') {
          if (this.depth === 0) {
            this.append(chunk.slice(captureFrom, i))
            this.column--
            i--
            this.finish()
            continue
          }
          this.depth--
          if (this.depth > 0) continue
        } else if (this.depth > 0 || !(ch === ',' || isSpace(ch))) continue
        else {
          // A number, true, false or null ends where the next token begins.
          this.append(chunk.slice(captureFrom, i))
          this.column--
          if (ch === '\n') this.line--
          i--
          this.finish()
          continue
        }
        this.append(chunk.slice(captureFrom, i + 1))
        this.finish()
        continue
      }
      if (this.state === 'keyString') {
        if (this.keyEscaped) this.keyEscaped = false
        else if (ch === '\\') this.keyEscaped = true
        else if (ch === '"') {
          try {
            this.key = String(JSON.parse(`"${this.key}"`))
          } catch {
            this.fail('not valid JSON: a bad property name')
          }
          this.state = 'colon'
          continue
        }
        this.key += ch
        if (this.key.length > MAX_KEY) this.fail(`a property name longer than ${MAX_KEY} characters`)
        continue
      }
      if (isSpace(ch)) continue
      switch (this.state) {
        case 'start':
          if (ch !== '{') this.fail('a Parley export is a JSON object')
          this.state = 'key'
          break
        case 'key':
          if (ch === '}' && this.first) this.state = 'done'
          else if (ch === '"') {
            this.key = ''
            this.state = 'keyString'
          } else this.unexpected(ch)
          break
        case 'colon':
          if (ch !== ':') this.unexpected(ch)
          this.state = 'value'
          break
        case 'value':
          this.first = false
          this.inArray = ch === '['
          this.emptyArray = this.inArray
          if (this.inArray) this.state = 'element'
          else {
            this.begin(ch)
            captureFrom = i
          }
          break
        case 'element':
          if (ch === ']' && !this.emptyArray) this.unexpected(ch)
          if (ch === ']') {
            this.inArray = false
            this.state = 'afterValue'
          } else {
            this.begin(ch)
            captureFrom = i
          }
          break
        case 'afterElement':
          if (ch === ',') this.state = 'element'
          else if (ch === ']') {
            this.inArray = false
            this.state = 'afterValue'
          } else this.unexpected(ch)
          break
        case 'afterValue':
          if (ch === ',') this.state = 'key'
          else if (ch === '}') this.state = 'done'
          else this.unexpected(ch)
          break
        case 'done':
          this.unexpected(ch)
      }
    }
    if (this.state === 'capture') this.append(chunk.slice(Math.max(0, captureFrom)))
  }

  end(): void {
    if (this.state !== 'done') this.fail('the JSON document ends too early')
  }
}
