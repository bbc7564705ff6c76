/**
 * The client went away before its request's body had all arrived (a closed tab, a killed `curl`, a
 * dropped connection). Nobody is left to answer and nothing is wrong on Parley's side: the error
 * handler logs it at info level and answers 400 `client_closed`, never 500.
 */
export class ClientClosed extends Error {
  constructor() {
    super('the client closed the connection')
    this.name = 'ClientClosed'
  }
}
