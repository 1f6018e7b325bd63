// Starts a local AT Protocol network (PLC, PDS, Bluesky AppView, Ozone) for Koshiki's connector
// tests, prints one JSON line {"pds", "appview", "plc", "ozone"} on stdout once it serves, and
// closes it on SIGTERM/SIGINT.
//
// Run through scripts/bsky-network.sh, which provides PostgreSQL and the loopback preload:
//   node --require ./listen-localhost.cjs network.mjs
// Environment:
//   DB_POSTGRES_URL      PostgreSQL URL for the AppView and Ozone (required)
//   DB_POSTGRES_SCHEMA   schema name ([A-Za-z_] only); a fresh one per run when unset (stale rows
//                        of an earlier run would make the AppView disagree with the new PDS)
//   KOSHIKI_BSKY_{PLC,PDS,APPVIEW,OZONE}_PORT   default 2582, 2583, 2584, 2587
//   REDIS_HOST           required by dev-env 0.3.x but unused; defaults to a placeholder
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'

const require = createRequire(import.meta.url)
const { TestNetwork } = require('@atproto/dev-env')

const port = (name, fallback) => {
  const value = process.env[`KOSHIKI_BSKY_${name}_PORT`]
  return value ? Number.parseInt(value, 10) : fallback
}
const log = (message) => process.stderr.write(`[bsky-network] ${message}\n`)

if (!process.env.DB_POSTGRES_URL) {
  log('DB_POSTGRES_URL is not set')
  process.exit(2)
}
process.env.REDIS_HOST ||= 'unused.invalid'
// Letters and underscores only: the AppView refuses anything else in a schema name.
const letters = (n) => [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('')
const schema = process.env.DB_POSTGRES_SCHEMA || `koshiki_${letters(10)}`

const started = Date.now()
let network
try {
  network = await TestNetwork.create({
    dbPostgresUrl: process.env.DB_POSTGRES_URL,
    dbPostgresSchema: schema,
    plc: { port: port('PLC', 2582) },
    pds: { port: port('PDS', 2583) },
    bsky: { port: port('APPVIEW', 2584) },
    ozone: { port: port('OZONE', 2587) },
  })
} catch (err) {
  log(`start failed: ${err?.stack ?? err}`)
  process.exit(1)
}
log(`started in ${Date.now() - started} ms (schema ${schema})`)

// The services name themselves http://localhost:PORT; they only listen on 127.0.0.1.
const loopback = (url) => url.replace('//localhost:', '//127.0.0.1:')
process.stdout.write(
  JSON.stringify({
    pds: loopback(network.pds.url),
    appview: loopback(network.bsky.url),
    plc: loopback(network.plc.url),
    ozone: loopback(network.ozone.url),
  }) + '\n',
)

let closing = false
const shutdown = async (signal) => {
  if (closing) return
  closing = true
  log(`${signal}: closing`)
  // Never hang the caller's stop: give close() 10 s.
  setTimeout(() => {
    log('close() timed out')
    process.exit(1)
  }, 10_000).unref()
  try {
    await network.close()
    log('closed')
    process.exit(0)
  } catch (err) {
    log(`close failed: ${err?.stack ?? err}`)
    process.exit(1)
  }
}
process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
// A background job of the network must not die of one failed request.
process.on('unhandledRejection', (err) => log(`unhandled rejection: ${err?.stack ?? err}`))
