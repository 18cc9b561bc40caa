#!/usr/bin/env node
// Runs dynalite for the sign-up service on loopback. The service starts this as a child process and talks
// to it over its stdin: when the service's end of the pipe closes (it stopped, or was killed), this exits too,
// so a crashed service never leaves a store behind holding the data folder's lock.
// Usage: node server.js PORT [DATA_DIR]   (PORT 0 picks a free port; no DATA_DIR keeps data in memory)
'use strict';
const dynalite = require('dynalite');
const { ClassicLevel } = require('classic-level');
const crypto = require('crypto');

const port = Number(process.argv[2] || 0);
const path = process.argv[3];

async function dataFolderIsFree() {
  // dynalite opens its database lazily and crashes on the first request when another process holds it;
  // opening it here first turns that into a clear message at start-up.
  if (!path) return;
  const db = new ClassicLevel(path);
  try {
    await db.open();
  } catch (e) {
    const locked = e.code === 'LEVEL_LOCKED' || (e.cause && e.cause.code === 'LEVEL_LOCKED');
    console.log(locked
      ? `dynalite cannot use ${path}: another process (a second instance of the service?) is using it`
      : `dynalite cannot open ${path}: ${e.message}`);
    process.exit(1);
  }
  await db.close();
}

// The store listens on loopback, where every user of this machine can connect: with a key in its environment
// (the service's own store), it answers only requests signed with that key, as dynalite itself checks none.
const accessKey = process.env.SIGNUP_DYNALITE_ACCESS_KEY;

function signedWithTheKey(req) {
  const credential = /Credential=([^/,\s]+)\//.exec(req.headers.authorization || '');
  const given = Buffer.from(credential ? credential[1] : '');
  const wanted = Buffer.from(accessKey);
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

dataFolderIsFree().then(() => {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  if (accessKey) {
    const answer = server.listeners('request');
    if (answer.length !== 1) throw new Error('dynalite answers requests in an unexpected way');
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      if (signedWithTheKey(req)) return answer[0](req, res);
      req.resume();
      res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazon.coral.service#UnrecognizedClientException',
        message: 'The security token included in the request is invalid.' }));
    });
  }
  server.listen(port, '127.0.0.1', () => {
    console.log('dynalite listening on port ' + server.address().port);
  });
});
// dynalite throws from a request's 'error' event when its client goes away before the answer is sent (the
// connection reset: a client's timeout, a service killed or stopped mid-request), which would end this process
// and every later sign-up's store with it. Nothing is left to answer then; any other error still ends it.
process.on('uncaughtException', (err) => {
  if (err && err.code === 'ECONNRESET') return;
  console.error(err);
  process.exit(1);
});
// Ctrl-C in a terminal signals the whole foreground group, this store with the service, and so does a terminal
// closing: the service still has outcomes to write as it stops, and ends this store itself after them, by closing
// its end of the pipe below. A SIGTERM is meant for this process (a kill, a script) and still ends it.
for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => {});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
