import { chromium, type Browser } from 'playwright-core'

// Debian's Chromium on a closed network: without the background-networking flags it keeps
// trying to reach Google's hosts. `launch()` gives every run a fresh, temporary profile.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Launches Debian's Chromium (`apt-get install chromium`), never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS })
}
