#!/usr/bin/env node
// One open-loop burst on a service warmed by sync sign-ups only, with the JVM's GC log: a fresh dynalite, stubs
// (20 ms) and service started as the README says (with -Xlog:gc added), 60 s of sync sign-ups at c=64, then `202`
// at 500/s for 20 s after 5 s. The GC log goes to target/burst-gc-<NAME>.log; EXTRA adds JVM options, ENV
// (JSON) environment variables, WARM the seconds of sync sign-ups (60); BEFORE=202 runs bench/run.js's closed-loop
// `202` c=64 run (15 s after 5 s) first.
//   NAME=base node bench/burst-gc.js; NAME=after202 BEFORE=202 node bench/burst-gc.js
'use strict';
const path = require('path');
const { repo, launcherOpts, prepareRig, startDynalite, startStubs, startService, load, rssMiB, executionsEnded,
  stop } = require('./rig');
(async () => {
  prepareRig(path.join(repo, '..', 'shared', 'bench'));
  const extra = process.env.EXTRA || '';
  const variant = process.env.NAME || 'x';
  const dynalite = await startDynalite();
  const stubs = await startStubs();
  const service = await startService({ port: 18650, dynamo: dynalite.url, stubs: stubs.url,
    javaOpts: `${launcherOpts} ${extra} -Xlog:gc:file=${path.join(repo, 'target', `burst-gc-${variant}.log`)}:uptime`,
    env: JSON.parse(process.env.ENV || '{}') });
  await load(service.base + '/signup?wait=true', ['--concurrency', '64'], '200', Number(process.env.WARM || 60), 0);
  if (process.env.BEFORE === '202') { // as bench/run.js: the closed-loop 202 run first, then every execution ended
    await load(service.base + '/signup', ['--concurrency', '64'], '202', 15, 5);
    await executionsEnded(service.base);
  }
  const s = await load(service.base + '/signup', ['--rate', '500'], '202', 20, 5);
  console.log(variant, 'p50', s.p50, 'p99', s.p99, 'rps', s.rps, 'errors', s.errors, 'RSS', rssMiB(service.proc.pid));
  await executionsEnded(service.base);
  console.log(variant, 'RSS after', rssMiB(service.proc.pid));
  await stop(service.proc); await stop(dynalite.proc); await stop(stubs.proc);
})().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
