// Preload (node --require) that keeps every server of the dev network on the loopback interface.
//
// @atproto/dev-env listens on all interfaces (PLC, PDS, AppView, Ozone, and the helper servers it
// starts on random ports). A test network with well-known admin passwords must not be reachable
// from the LAN, so every net.Server.listen() that names a TCP port is rewritten to 127.0.0.1.
// The services call each other through "localhost": prefer IPv4 when resolving it, since nothing
// listens on ::1.
'use strict'

const dns = require('node:dns')
const net = require('node:net')

const HOST = process.env.KOSHIKI_BSKY_LISTEN_HOST || '127.0.0.1'
dns.setDefaultResultOrder('ipv4first')

const originalListen = net.Server.prototype.listen

function isPort(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args
  if (first === undefined || first === null || typeof first === 'function') {
    // listen() / listen(cb): a random port on every interface.
    return originalListen.call(this, { port: 0, host: HOST }, ...args.slice(first === undefined || first === null ? 1 : 0))
  }
  if (isPort(first)) {
    // listen(port[, host][, backlog][, cb]): replace or insert the host.
    const rest = typeof args[1] === 'string' ? args.slice(2) : args.slice(1)
    return originalListen.call(this, first, HOST, ...rest)
  }
  if (typeof first === 'object' && 'port' in first && first.path === undefined) {
    // listen({port, host, ...}[, cb])
    return originalListen.call(this, { ...first, host: HOST }, ...args.slice(1))
  }
  // A Unix socket path or an inherited handle: nothing to rewrite.
  return originalListen.apply(this, args)
}
