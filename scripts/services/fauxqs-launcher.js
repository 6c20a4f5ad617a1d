'use strict';
// Starts fauxqs (SNS + SQS + S3 emulator) bound to 127.0.0.1 only.
//
// fauxqs' CLI and its startFauxqs() helper always listen on 0.0.0.0, so this
// launcher uses the lower-level public API instead: buildApp() returns the
// Fastify instance with every SNS/SQS/S3 route registered, and we call
// app.listen({ port, host: '127.0.0.1' }) ourselves.
//
// Environment:
//   FAUXQS_PORT            port to listen on (default 4575; 0 = pick a free one)
//   BUSHFIRE_NODE_MODULES  node_modules folder holding fauxqs
//                          (default <repo>/.cache/services/npm/node_modules)
//   FAUXQS_HOST            host used inside SQS queue URLs (fauxqs default: localhost,
//                          giving http://sqs.<region>.localhost:<port>/000000000000/<name>)
//   FAUXQS_DEFAULT_REGION  region for ARNs/URLs when a request carries none (us-east-1)
//   FAUXQS_LOGGER          "false" to silence the per-request log (default on)
// Prints "FAUXQS_READY <port> <address>" on stdout once listening.

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const HOST = '127.0.0.1';

function fauxqsEntry(modulesDir) {
  const pkgDir = path.join(modulesDir, 'fauxqs');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const dot = pkg.exports && pkg.exports['.'];
  const rel = (dot && dot.import && (dot.import.default || dot.import)) || pkg.main || 'dist/app.js';
  return { file: path.join(pkgDir, typeof rel === 'string' ? rel : 'dist/app.js'), version: pkg.version };
}

async function main() {
  const modulesDir = process.env.BUSHFIRE_NODE_MODULES ||
    path.resolve(__dirname, '..', '..', '.cache', 'services', 'npm', 'node_modules');
  const portText = process.env.FAUXQS_PORT || '4575';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    throw new Error(`FAUXQS_PORT must be a port number, got "${portText}"`);
  }
  const entry = fauxqsEntry(modulesDir);
  const { buildApp } = await import(pathToFileURL(entry.file).href);
  if (typeof buildApp !== 'function') {
    throw new Error(`fauxqs ${entry.version} at ${entry.file} exports no buildApp()`);
  }
  const app = buildApp({
    logger: process.env.FAUXQS_LOGGER !== 'false',
    host: process.env.FAUXQS_HOST || undefined,
    defaultRegion: process.env.FAUXQS_DEFAULT_REGION || undefined,
  });
  const address = await app.listen({ port: Number(portText), host: HOST });
  const port = app.server.address().port;
  process.stdout.write(`FAUXQS_READY ${port} ${address} (fauxqs ${entry.version})\n`);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`fauxqs: ${signal} received, closing\n`);
    setTimeout(() => process.exit(1), 5000).unref();
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`fauxqs launcher failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
