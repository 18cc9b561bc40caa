#!/usr/bin/env node
// Runs dynalite for the sign-up service on loopback. The service starts this as a child process and talks
// to it over its stdin: when the service's end of the pipe closes (it stopped, or was killed), this exits too,
// so a crashed service never leaves a store behind holding the data folder's lock.
// Usage: node server.js PORT [DATA_DIR]   (PORT 0 picks a free port; no DATA_DIR keeps data in memory)
'use strict';
const dynalite = require('dynalite');

const port = Number(process.argv[2] || 0);
const path = process.argv[3];
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(port, '127.0.0.1', () => {
  console.log('dynalite listening on port ' + server.address().port);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
