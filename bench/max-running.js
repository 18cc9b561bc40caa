#!/usr/bin/env node
// SIGNUP_MAX_RUNNING against the two loads it pulls between: for each value given, in order (interleave them:
// the machine drifts), a fresh dynalite, stubs (20 ms) and service started as the README says, then 40 s of sync
// sign-ups at c=64 (?wait=true) to warm up, 20 s of them measured (sign-ups/s, latency, errors, CPU ms per
// sign-up of the JVM and of its dynalite), and once every execution has ended, an open-loop burst of 500 sign-ups/s
// for 20 s after 5 s (202 latency, errors) and the JVM's RSS. One line per value.
//
//   node bench/max-running.js 128,32,128,32
//
// Needs what bench/run.js needs (it installs the load rig on first use).
'use strict';
const path = require('path');
const { repo, prepareRig, startDynalite, startStubs, startService, load, cpuMs, rssMiB, executionsEnded, stop } =
  require('./rig');

(async () => {
  prepareRig(path.join(repo, '..', 'shared', 'bench'));
  let port = 18600;
  for (const value of (process.argv[2] || '128,32').split(',')) {
    const dynalite = await startDynalite();
    const stubs = await startStubs();
    const service = await startService({ port: port++, dynamo: dynalite.url, stubs: stubs.url,
      env: { SIGNUP_MAX_RUNNING: value } });
    const sync = service.base + '/signup?wait=true';
    await load(sync, ['--concurrency', '64'], '200', 40, 0);
    const own0 = cpuMs(service.proc.pid), store0 = cpuMs(dynalite.proc.pid);
    const s = await load(sync, ['--concurrency', '64'], '200', 20, 0);
    const own = (cpuMs(service.proc.pid) - own0) / s.ok, store = (cpuMs(dynalite.proc.pid) - store0) / s.ok;
    await executionsEnded(service.base);
    const b = await load(service.base + '/signup', ['--rate', '500'], '202', 20, 5);
    await executionsEnded(service.base, 300000);
    console.log(`SIGNUP_MAX_RUNNING ${value}: sync c=64 ${s.rps}/s p50 ${s.p50} p99 ${s.p99} errors ${s.errors}, ` +
      `CPU ${own.toFixed(2)} + ${store.toFixed(2)} ms/sign-up | 202 500/s: ${b.rps}/s p50 ${b.p50} p99 ${b.p99} ` +
      `errors ${b.errors} | RSS ${rssMiB(service.proc.pid)} MiB`);
    await stop(service.proc);
    await stop(dynalite.proc);
    await stop(stubs.proc); // its port is drawn at random: a stub left running could hold the next one's
  }
})().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
