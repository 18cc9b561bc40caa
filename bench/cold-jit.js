#!/usr/bin/env node
// The JIT's thresholds against a cold start: for each variant, in turn (the machine drifts: interleave), a fresh
// dynalite, stubs (20 ms) and service started as the README says, then at once sync sign-ups at c=64
// (?wait=true) for 15 s (what bench/run.js calls cold), then 15 s more (ROUNDS=n: n rounds of 15 s in all), then
// the JVM's RSS. Variant "launcher" is
// bin/community-signup's own JVM settings (C2's default thresholds); "tier4-raised" the same with C2's thresholds
// raised tenfold, as the launcher had them until 12-02.
//
//   ROUNDS=6 node bench/cold-jit.js launcher,tier4-raised,tier4-raised,launcher
'use strict';
const path = require('path');
const { repo, launcherOpts, prepareRig, startDynalite, startStubs, startService, load, cpuMs, rssMiB,
  executionsEnded, stop } = require('./rig');

const variants = {
  launcher: launcherOpts,
  'tier4-raised': `${launcherOpts} -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 `
    + '-XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000',
};

(async () => {
  prepareRig(path.join(repo, '..', 'shared', 'bench'));
  let port = 18600;
  for (const name of (process.argv[2] || 'launcher,tier4-raised').split(',')) {
    const dynalite = await startDynalite();
    const stubs = await startStubs();
    const service = await startService({ port: port++, dynamo: dynalite.url, stubs: stubs.url,
      javaOpts: variants[name] });
    const sync = service.base + '/signup?wait=true';
    const rounds = [];
    for (let i = 0; i < Number(process.env.ROUNDS || 2); i++) {
      const own0 = cpuMs(service.proc.pid), store0 = cpuMs(dynalite.proc.pid);
      const s = await load(sync, ['--concurrency', '64'], '200', 15, 0);
      rounds.push(`${s.rps}/s p50 ${s.p50} p99 ${s.p99} errors ${s.errors} CPU `
        + `${((cpuMs(service.proc.pid) - own0) / s.ok).toFixed(2)} + ${((cpuMs(dynalite.proc.pid) - store0) / s.ok)
          .toFixed(2)} ms`);
    }
    await executionsEnded(service.base);
    console.log(`${name}: ready ${service.readyMs} ms | ${rounds.map((r, i) => `${i * 15}-${i * 15 + 15} s ${r}`)
      .join(' | ')} | RSS ${rssMiB(service.proc.pid)} MiB`);
    await stop(service.proc);
    await stop(dynalite.proc);
    await stop(stubs.proc); // its port is drawn at random: a stub left running could hold the next one's
  }
})().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
