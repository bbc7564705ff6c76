// negotiator 1.1's own API for what Parley uses (src/http/content-coding.ts). DefinitelyTyped's
// @types/negotiator (0.6) lacks the `preferred` option that lets the server's order break ties.
declare module 'negotiator' {
  interface NegotiatorRequest {
    headers: Record<string, string | undefined>
  }
  class Negotiator {
    constructor(request: NegotiatorRequest)
    /** The client's most preferred of `available`; ties go to the order of `options.preferred`. */
    encoding(available: readonly string[], options?: { preferred?: readonly string[] }): string | undefined
  }
  export = Negotiator
}
