import { nodeTooOld } from './node-version.js'

// `npm start`'s entry: the Node version is checked before the server's modules load, since an older
// Node may fail inside them with an error that names neither Parley nor the version it needs.
const tooOld = nodeTooOld(process.versions.node)
if (tooOld) {
  console.error(tooOld)
  process.exit(1)
}
await import('./node.js')
