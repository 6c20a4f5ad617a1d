'use strict';
// Preload (`node -r ./loopback.js app.js`) that forces every TCP listen() of the
// process onto the loopback interface. Used for emulators that always bind
// 0.0.0.0 / :: and have no host option (kinesis-local). http.Server,
// https.Server and tls.Server all inherit net.Server.prototype.listen, so
// patching it once covers them. IPC listens (unix socket paths, handles, fds)
// are left untouched.
//
// BUSHFIRE_BIND_HOST overrides the address, but only loopback addresses are
// accepted: anything else falls back to 127.0.0.1.

const net = require('net');

const requested = process.env.BUSHFIRE_BIND_HOST || '127.0.0.1';
const HOST = /^127\.\d+\.\d+\.\d+$/.test(requested) || requested === '::1' ? requested : '127.0.0.1';
const originalListen = net.Server.prototype.listen;

function isPort(v) {
  return typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));
}

function rewrite(args) {
  const first = args[0];
  if (first !== null && typeof first === 'object') {
    // listen(options[, cb]) or listen(handle[, backlog][, cb])
    const isOptions = first.path === undefined && first.fd === undefined &&
      first.handle === undefined && first._handle === undefined && !(first instanceof net.Server) &&
      !(first instanceof net.Socket);
    if (!isOptions) return args;
    const options = Object.assign({}, first, { host: HOST });
    delete options.ipv6Only;
    return [options].concat(args.slice(1));
  }
  if (first === undefined || first === null || typeof first === 'function') {
    // listen() / listen(cb): random port on all interfaces -> random port on HOST
    return [0, HOST].concat(typeof first === 'function' ? [first] : args.slice(1));
  }
  if (isPort(first)) {
    // listen(port[, host][, backlog][, cb])
    const rest = args.slice(1);
    if (typeof rest[0] === 'string' || rest[0] === undefined || rest[0] === null) {
      rest[0] = HOST;
    } else {
      rest.unshift(HOST);
    }
    return [first].concat(rest);
  }
  return args; // listen(path[, backlog][, cb]): unix socket, leave alone
}

net.Server.prototype.listen = function loopbackListen(...args) {
  const rewritten = rewrite(args);
  if (rewritten !== args && process.env.BUSHFIRE_LOOPBACK_QUIET !== '1') {
    const port = typeof rewritten[0] === 'object' ? rewritten[0].port : rewritten[0];
    process.stderr.write(`[loopback] listen(${port}) bound to ${HOST}\n`);
  }
  return originalListen.apply(this, rewritten);
};
