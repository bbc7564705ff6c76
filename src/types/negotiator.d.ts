// negotiator 1.1's encoding negotiation, the one part of it Parley uses (src/http/content-coding.ts),
// imported alone so that the Worker's bundle leaves out its media type, language and charset parts.
// DefinitelyTyped's @types/negotiator (0.6) lacks the `preferred` argument that lets the server's
// order break ties.
declare module 'negotiator/lib/encoding.js' {
  /** The client's acceptable codings among `provided`, best first; ties go to the order of `preferred`. */
  function preferredEncodings(accept: string | undefined, provided: readonly string[], preferred?: readonly string[]): string[]
  export = preferredEncodings
}
