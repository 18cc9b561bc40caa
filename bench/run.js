#!/usr/bin/env node
// The benchmark: the service and the reference peer (the original state machine, run by aws-local-stepfunctions)
// side by side, on this machine, in one run, against the same stubs (20 ms). Prints one table, every figure twice:
//
//   node bench/run.js [--duration 15] [--warmup 5] [--prewarm 60] [--rounds 3] [--burst 20]
//                     [--java-opts "-Xmx128m ..."]
//
// cold: each run on a system just started (its own fresh dynalite, no warm-up, no run before it): what a freshly
//       deployed service meets in its first seconds.
// warm: one start of each system, --prewarm seconds of unmeasured sign-ups at c=64 (the same for both), then each
//       run after its own --warmup: what a service that has run for a while meets.
// The service starts as the README tells users to (bin/community-signup, which execs java: the pid stays the
// JVM's), configured by environment variables only.
// Runs: sync (?wait=true) at c=64 in --rounds rounds, peer and service taking turns, the ratio quoted being the
// rounds' median (this machine's speed drifts by a fifth from one minute to the next); sync at c=1 beside the
// stubs' own c=1 latency (load.js straight at the stub); the service's 202 at c=64 (closed loop: an overload
// test) and open loop at 500 and 1,000 sign-ups/s for --burst seconds (load.js --rate, latency counted from when
// each request was due). Last, dynalite alone: what a write costs it at c=1 (after 20 ms of quiet and right after another
// request), and how many creates it takes per second from 64 writers (the ceiling of the 202 run).
// Besides the load generator's figures, the table shows the CPU each sign-up cost the system's own process and
// dynalite (from /proc, over the run including its warm-up).
//
// Needs: `mvn package` done (target/community-signup.jar), Node 20, and the load rig in ../shared/bench
// (copied to target/bench-rig and installed with npm ci on first use).
'use strict';
const http = require('http');
const path = require('path');
const { repo, rig, log, option, prepareRig, start, waitForLine, metrics, executionsEnded, cpuMs, rssMiB, stop,
  startDynalite, startStubs, startService, load, dynamoCall, executionItem } = require('./rig');

const args = process.argv.slice(2);
const opt = (name, def) => option(args, name, def);
const duration = opt('duration', '15');
const warmup = opt('warmup', '5');
const prewarm = Number(opt('prewarm', '60'));
const rounds = Math.max(1, Number(opt('rounds', '3')));
// the launcher's JVM settings unless --java-opts (or SIGNUP_JAVA_OPTS) replaces them
const javaOpts = opt('java-opts', process.env.SIGNUP_JAVA_OPTS || '');
const sharedRig = path.resolve(opt('rig', path.join(repo, '..', 'shared', 'bench')));

// What two of the service's writes cost at c=1 at the least: dynalite writing an execution item, p50, once right
// after another request and once after 20 ms of quiet (a step's time: the outcome's write comes after it).
async function writeFloor(endpoint) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const quiet = [];
  const busy = [];
  for (let i = 0; i < 100; i++) {
    const item = executionItem(`floor-${i}`, 'SUCCEEDED', { listing: { S: 'bench' } });
    await new Promise((r) => setTimeout(r, 20));
    quiet.push(await dynamoCall(endpoint, agent, 'PutItem', { TableName: 'signup-executions', Item: item }));
    busy.push(await dynamoCall(endpoint, agent, 'PutItem', { TableName: 'signup-executions', Item: item }));
  }
  agent.destroy();
  const p50 = (a) => Math.round(a.sort((x, y) => x - y)[a.length >> 1] * 100) / 100;
  return { quiet: p50(quiet), busy: p50(busy) };
}

// The most a 202 could do on this store: dynalite alone taking the service's create (a PutItem of an execution
// item that only creates, as the service writes it) from 64 concurrent writers for `seconds`, with no service
// and no execution running beside it. A closed loop of 64 cannot average less than 64 / (creates/s) per sign-up.
async function createCeiling(endpoint, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies = [];
  const run = Math.random().toString(36).slice(2, 8);
  let n = 0;
  const warmUntil = Date.now() + 1000;
  const stopAt = warmUntil + seconds * 1000;
  const writer = async () => {
    while (Date.now() < stopAt) {
      const i = n++;
      const item = executionItem(`ceiling-${run}-${i}`, 'RUNNING',
        { leaseOwner: { S: 'bench' }, leaseUntil: { N: String(Date.now() + 30000) } });
      const ms = await dynamoCall(endpoint, agent, 'PutItem', { TableName: 'signup-executions', Item: item,
        Expected: { email: { Exists: false } } });
      if (Date.now() >= warmUntil && Date.now() < stopAt) latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: 64 }, writer));
  agent.destroy();
  latencies.sort((x, y) => x - y);
  const q = (p) => Math.round(latencies[Math.floor(p * latencies.length)] * 10) / 10;
  return { rps: Math.round(latencies.length / seconds), p50: q(0.5), p99: q(0.99) };
}

async function startPeer(port, dynamo, stubs) {
  const proc = start('peer', 'node', [path.join(rig, 'peer-sfn.js')], {
    PEER_PORT: String(port), DYNAMODB_ENDPOINT: dynamo, DYNAMODB_TABLE: 'peer-members',
    SLACK_API_URL: stubs + '/api', SLACK_ADMIN_TOKEN: 'xoxs-test-token', ACTIVECAMPAIGN_URL: stubs,
    ACTIVECAMPAIGN_API_KEY: 'ac-test-key',
  }, rig);
  await waitForLine('peer', /peer-sfn listening/);
  return { proc, url: `http://127.0.0.1:${port}/signup` };
}

async function main() {
  prepareRig(sharedRig);
  const { url: stubs, port: stubPort } = await startStubs();
  const servicePort = stubPort + 300;
  const serviceAt = (dynamo) => startService({ port: servicePort, dynamo, stubs, javaOpts });
  const rows = [];
  const ready = [];

  // One measured run of one system; `service` and `peer` are what is running, `dynamo` its store.
  const run = async (phase, who, mode, sys, dynalite, how, expect, seconds, warm) => {
    const before = who === 'service' ? await metrics(sys.base) : null;
    const cpu0 = { own: cpuMs(sys.proc.pid), store: cpuMs(dynalite.proc.pid) };
    log(`${phase} ${who} ${mode} ${how.join(' ')} ...`);
    const r = await load(who === 'service' ? sys.base + (mode === 'sync' ? '/signup?wait=true' : '/signup') : sys.url,
      how, expect, seconds, warm);
    if (sys.proc.exitCode !== null || sys.proc.signalCode !== null) {
      throw new Error(`the ${who} stopped during the run: see target/bench-${who}.log`);
    }
    let perSignup = '';
    let signups = r.rps * (seconds + warm);
    let doorWaits = '';
    if (before) {
      // the executions it ended over the run, warm-up included (a 202 is answered before its execution ends)
      await executionsEnded(sys.base);
      const after = await metrics(sys.base);
      signups = after.executions - before.executions;
      perSignup = signups ? (Math.round(((after.dynamodb - before.dynamodb) / signups) * 100) / 100).toString() : '';
      doorWaits = after.doorWaits - before.doorWaits;
    }
    const cpu = (pid, from) => (signups ? Math.round(((cpuMs(pid) - from) / signups) * 100) / 100 : '');
    const row = { phase, who, mode, how: how[0] === '--rate' ? `${how[1]}/s` : `c=${how[1]}`,
      rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, perSignup, doorWaits,
      cpuOwn: cpu(sys.proc.pid, cpu0.own), cpuStore: cpu(dynalite.proc.pid, cpu0.store) };
    rows.push(row);
    if (r.errors) log('errors:', JSON.stringify(r.errorSamples || r));
    return row;
  };
  const c64 = ['--concurrency', '64'];
  const c1 = ['--concurrency', '1'];
  const burst = Number(opt('burst', '20'));
  const openLoop = [['--rate', '500'], ['--rate', '1000']];

  // cold: every run on a system and a store just started
  const cold = async (who, mode, how, expect, seconds) => {
    const dynalite = await startDynalite();
    const sys = who === 'service' ? await serviceAt(dynalite.url) : await startPeer(servicePort + 1, dynalite.url, stubs);
    if (who === 'service') ready.push(sys.readyMs);
    const row = await run('cold', who, mode, sys, dynalite, how, expect, seconds, 0);
    await stop(sys.proc);
    await stop(dynalite.proc);
    return row;
  };
  const coldRatios = [];
  for (let i = 1; i <= rounds; i++) {
    const peer = await cold('peer', 'sync', c64, '200', Number(duration));
    const service = await cold('service', 'sync', c64, '200', Number(duration));
    coldRatios.push(service.rps / peer.rps);
  }
  const coldC1 = { peer: await cold('peer', 'sync', c1, '200', Number(duration)),
    service: await cold('service', 'sync', c1, '200', Number(duration)) };
  await cold('service', '202', c64, '202', Number(duration));
  for (const how of openLoop) await cold('service', '202', how, '202', burst);

  // warm: one start of each, the same warm-up for both
  const dynalite = await startDynalite();
  let service = await serviceAt(dynalite.url);
  const readyCreating = service.readyMs;
  await stop(service.proc);
  service = await serviceAt(dynalite.url);
  const readyExisting = service.readyMs;
  const peer = await startPeer(servicePort + 1, dynalite.url, stubs);
  if (prewarm > 0) {
    for (const [who, url] of [['peer', peer.url], ['service', service.base + '/signup?wait=true']]) {
      log(`${who} warm-up: ${prewarm} s at c=64, not measured ...`);
      await load(url, c64, '200', prewarm, 0);
    }
    await executionsEnded(service.base);
  }
  const warmRatios = [];
  for (let i = 1; i <= rounds; i++) {
    const p = await run('warm', 'peer', 'sync', peer, dynalite, c64, '200', Number(duration), Number(warmup));
    const s = await run('warm', 'service', 'sync', service, dynalite, c64, '200', Number(duration), Number(warmup));
    warmRatios.push(s.rps / p.rps);
  }
  log('stubs alone c=1 ...');
  const floor = await load(stubs + '/api/users.admin.invite', c1, '200', Number(duration), Number(warmup));
  const warmC1 = { peer: await run('warm', 'peer', 'sync', peer, dynalite, c1, '200', Number(duration), Number(warmup)),
    service: await run('warm', 'service', 'sync', service, dynalite, c1, '200', Number(duration), Number(warmup)) };
  await run('warm', 'service', '202', service, dynalite, c64, '202', Number(duration), Number(warmup));
  for (const how of openLoop) await run('warm', 'service', '202', service, dynalite, how, '202', burst, Number(warmup));
  const rss = rssMiB(service.proc.pid);
  await new Promise((r) => setTimeout(r, 15000));
  const rssIdle = rssMiB(service.proc.pid);
  log('dynalite alone c=1 ...');
  const writes = await writeFloor(dynalite.url);
  log('dynalite alone c=64 ...');
  const ceiling = await createCeiling(dynalite.url, Number(duration));

  const pad = (v, n) => String(v).padEnd(n);
  console.log(`\nmachine: ${require('os').cpus().length} cores, ${Math.round(require('os').totalmem() / 2 ** 30)} GiB; `
    + `stubs 20 ms; cold: each run ${duration} s from a fresh start; warm: ${prewarm} s of c=64 first, then each run `
    + `${duration} s after ${warmup} s (open loop: ${burst} s); ` + new Date().toISOString());
  console.log(pad('', 6) + pad('', 9) + pad('mode', 6) + pad('load', 7) + pad('sign-ups/s', 12) + pad('p50 ms', 8)
    + pad('p99 ms', 8) + pad('errors', 8) + pad('door', 6) + pad('DynamoDB req/sign-up', 22)
    + 'CPU ms/sign-up: own, dynalite');
  for (const r of rows) {
    console.log(pad(r.phase, 6) + pad(r.who, 9) + pad(r.mode, 6) + pad(r.how, 7) + pad(r.rps, 12) + pad(r.p50, 8)
      + pad(r.p99, 8) + pad(r.errors, 8) + pad(r.doorWaits, 6) + pad(r.perSignup, 22) + `${r.cpuOwn}, ${r.cpuStore}`);
  }
  const x = (v) => `${Math.round(v * 100) / 100}x`;
  const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
  for (const [phase, ratios] of [['cold', coldRatios], ['warm', warmRatios]]) {
    console.log(`${phase}: sync c=64 throughput ${x(median(ratios))} the peer's (median of ${ratios.length} rounds: `
      + `${ratios.map(x).join(', ')})`);
  }
  for (const [phase, c] of [['cold', coldC1], ['warm', warmC1]]) {
    console.log(`${phase} c=1: the stubs alone answer in p50 ${floor.p50} ms; the service adds `
      + `${Math.round((c.service.p50 - floor.p50) * 10) / 10} ms, the peer ${Math.round((c.peer.p50 - floor.p50) * 10) / 10} ms`);
  }
  console.log(`service: ready ${readyCreating} ms after start creating its tables, ${readyExisting} ms with them `
    + `there (cold runs: ${Math.min(...ready)}-${Math.max(...ready)} ms, creating); RSS ${rss} MiB right after the warm runs, ${rssIdle} MiB 15 s later`);
  console.log(`c=1: dynalite alone writes an execution item in p50 ${writes.quiet} ms after 20 ms of quiet, `
    + `${writes.busy} ms right after another request; the service writes twice on a sign-up's path (the create, and `
    + 'the outcome after the steps)');
  console.log(`202: dynalite alone takes ${ceiling.rps} creates/s from 64 writers (p50 ${ceiling.p50} ms, p99 `
    + `${ceiling.p99} ms), with no service and no execution beside it: 64 clients cannot average under `
    + `${Math.round(64000 / ceiling.rps * 10) / 10} ms per accepted sign-up on this store`);
  console.log('door: how many 202 sign-ups of the run waited for a place in the backlog (SIGNUP_MAX_WAITING)');
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
