import { createInterface } from 'node:readline'

/** Asks for a password on the terminal without echoing it. */
export function readPassword(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!process.stdin.isTTY) {
      reject(new Error('no terminal to ask for the password: set PARLEY_PASSWORD'))
      return
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
    const mute = rl as unknown as { _writeToOutput: (text: string) => void }
    process.stdout.write(prompt)
    mute._writeToOutput = () => {}
    rl.question('', (answer) => {
      rl.close()
      process.stdout.write('\n')
      resolve(answer)
    })
  })
}
