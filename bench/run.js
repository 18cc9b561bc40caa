#!/usr/bin/env node
// The benchmark of issue 6: the service and the reference peer (the original state machine, run by
// aws-local-stepfunctions) side by side, on this machine, in one run, against the same stubs (20 ms) and
// the same dynalite. Prints one table.
//
//   node bench/run.js [--duration 15] [--warmup 5] [--prewarm 20] [--rounds 3] [--java-opts "-Xmx128m ..."]
//
// Before the measured runs, both the peer and the service get --prewarm seconds of unmeasured sign-ups at
// concurrency 64, the same for both: a sign-up service runs for weeks, and the first thousand requests of a JVM
// (interpreted, then compiled) or of V8 are not what its users meet. --prewarm 0 measures them cold.
// The c=1 runs come after the c=64 rounds (both systems then run what stays hot compiled), beside the stubs'
// own c=1 latency (load.js straight at the stub), the floor that c=1 is held to.
// Last, dynalite alone: at c=1, what a write costs it after 20 ms of quiet and right after another request; at
// c=64, how many creates it takes per second with nothing else running (the ceiling of the 202 run).
// Besides the load generator's figures, the table shows the CPU each sign-up cost the system's own process and
// the shared dynalite (from /proc, over the run including its warm-up).
// The throughput comparison (sync, c=64) runs --rounds times, peer and service taking turns, and the ratio quoted
// is the median of the rounds': this machine's speed drifts by a fifth from one minute to the next.
//
// Needs: `mvn package` done (target/community-signup.jar), Node 20, and the load rig in ../shared/bench
// (copied to target/bench-rig and installed with npm ci on first use).
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : def; };
const duration = opt('duration', '15');
const warmup = opt('warmup', '5');
const prewarm = Number(opt('prewarm', '20'));
const rounds = Math.max(1, Number(opt('rounds', '3')));
// the service runs through its launcher (bin/community-signup, which execs java: the pid stays the JVM's), with
// the launcher's JVM settings unless --java-opts (or SIGNUP_JAVA_OPTS) replaces them
const launcher = path.join(__dirname, '..', 'bin', 'community-signup');
const javaOpts = opt('java-opts', process.env.SIGNUP_JAVA_OPTS || '');
const sharedRig = path.resolve(opt('rig', path.join(repo, '..', 'shared', 'bench')));
const rig = path.join(repo, 'target', 'bench-rig');
const jar = path.join(repo, 'target', 'community-signup.jar');
const children = [];

function log(...m) { console.error('[bench]', ...m); }

function prepareRig() {
  if (!fs.existsSync(path.join(rig, 'node_modules'))) {
    fs.mkdirSync(rig, { recursive: true });
    for (const f of ['package.json', 'package-lock.json', 'stubs.js', 'load.js', 'peer-sfn.js']) {
      fs.copyFileSync(path.join(sharedRig, f), path.join(rig, f));
    }
    log('installing the load rig in', rig);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: rig, stdio: 'inherit' });
  }
}

function start(name, cmd, argv, env, cwd) {
  const out = fs.openSync(path.join(repo, 'target', `bench-${name}.log`), 'w');
  const child = spawn(cmd, argv, { cwd: cwd || repo, env: { ...process.env, ...env }, stdio: ['pipe', out, out] });
  children.push(child);
  return child;
}

function waitForLine(name, pattern, timeoutMs = 30000) {
  const file = path.join(repo, 'target', `bench-${name}.log`);
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const m = fs.existsSync(file) && fs.readFileSync(file, 'utf8').match(pattern);
      if (m) return resolve(m);
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`${name}: no ${pattern} within ${timeoutMs} ms`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

function request(url, method = 'GET', body) {
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

async function waitUntil(check, timeoutMs, what) {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function metrics(base) {
  const text = (await request(base + '/observe/metrics')).body;
  const sum = (name) => text.split('\n').filter((l) => l.startsWith(name)).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
  return { dynamodb: sum('signup_dynamodb_requests_total'), executions: sum('signup_executions_total'),
    accepted: sum('signup_signups_accepted_total'), doorWaits: sum('signup_admission_waits_total') };
}

function load(url, concurrency, expect) {
  const out = execFileSync('node', [path.join(rig, 'load.js'), url, '--concurrency', String(concurrency),
    '--duration', duration, '--warmup', warmup, '--expect', expect], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

// A DynamoDB request straight from Node (dynalite checks that a signature is there, not what it says).
function dynamoCall(endpoint, agent, operation, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const t0 = process.hrtime.bigint();
    const req = http.request(endpoint, { method: 'POST', agent, headers: {
      'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.' + operation,
      'X-Amz-Date': '20260101T000000Z', 'Content-Length': Buffer.byteLength(data),
      Authorization: 'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, '
        + 'SignedHeaders=host, Signature=0' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6)
        : reject(new Error(`${operation}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

// An execution item under this key, shaped as the service stores one (its document about 1.2 KB).
function executionItem(key, status, extra = {}) {
  return { email: { S: `${key}@bench.example.org` }, executionId: { S: key }, status: { S: status },
    startedAt: { S: new Date().toISOString() }, listing: { S: 'all' }, document: { S: 'x'.repeat(1200) }, ...extra };
}

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

function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in clock ticks of 10 ms
}

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024);
}

async function main() {
  if (!fs.existsSync(jar)) throw new Error('build first: mvn -q package -DskipTests');
  prepareRig();
  fs.mkdirSync(path.join(repo, 'target'), { recursive: true });

  const dynalite = start('dynalite', 'node', [path.join(repo, 'embedded-dynamodb', 'server.js'), '0']);
  const dynamo = `http://127.0.0.1:${(await waitForLine('dynalite', /listening on port (\d+)/))[1]}`;
  const stubPort = 18700 + Math.floor(Math.random() * 200);
  start('stubs', 'node', [path.join(rig, 'stubs.js'), String(stubPort)], { STUB_LATENCY_MS: '20' });
  await waitForLine('stubs', /stubs listening/);
  const stubs = `http://127.0.0.1:${stubPort}`;

  const servicePort = stubPort + 300;
  const t0 = Date.now();
  const service = start('service', launcher, [], {
    ...(javaOpts ? { SIGNUP_JAVA_OPTS: javaOpts } : {}),
    SIGNUP_PORT: String(servicePort), DYNAMODB_ENDPOINT: dynamo, SIGNUP_ROUTES_RELOAD: 'false',
    SLACK_API_URL: stubs + '/api', SLACK_ADMIN_TOKEN: 'xoxs-test-token',
    ACTIVECAMPAIGN_URL: stubs, ACTIVECAMPAIGN_API_KEY: 'ac-test-key',
    ACTIVECAMPAIGN_RATE_LIMIT: '0', SLACK_RATE_LIMIT: '0', SIGNUP_RATE_LIMIT: '0',
  });
  const base = `http://127.0.0.1:${servicePort}`;
  await waitUntil(async () => (await request(base + '/observe/health/ready')).status === 200, 60000, 'the service');
  const readyMs = Date.now() - t0;

  const peerPort = servicePort + 1;
  const peerProcess = start('peer', 'node', [path.join(rig, 'peer-sfn.js')], {
    PEER_PORT: String(peerPort), DYNAMODB_ENDPOINT: dynamo, DYNAMODB_TABLE: 'peer-members',
    SLACK_API_URL: stubs + '/api', SLACK_ADMIN_TOKEN: 'xoxs-test-token', ACTIVECAMPAIGN_URL: stubs,
    ACTIVECAMPAIGN_API_KEY: 'ac-test-key',
  }, rig);
  await waitForLine('peer', /peer-sfn listening/);
  const peer = `http://127.0.0.1:${peerPort}`;

  const rows = [];
  let round = '';
  const run = async (who, mode, url, concurrency, expect) => {
    const before = who === 'service' ? await metrics(base) : null;
    const own = who === 'service' ? service : peerProcess;
    const cpu0 = { own: cpuMs(own.pid), store: cpuMs(dynalite.pid) };
    log(`${who} ${mode} c=${concurrency} ...`);
    const r = load(url, concurrency, expect);
    let perSignup = '';
    // sign-ups over the whole call, warm-up included; for the service, the executions it ended
    let signups = r.rps * (Number(duration) + Number(warmup));
    if (before) {
      await waitUntil(async () => { const m = await metrics(base); return m.executions >= m.accepted; }, 60000, 'executions to end');
      const after = await metrics(base);
      const done = after.executions - before.executions;
      perSignup = done ? (Math.round(((after.dynamodb - before.dynamodb) / done) * 100) / 100).toString() : '';
      signups = done;
    }
    const cpu = (p) => (signups ? (Math.round(((cpuMs(p.pid) - cpu0[p === own ? 'own' : 'store']) / signups) * 100) / 100) : '');
    rows.push({ who, mode: mode + (rounds > 1 && concurrency === 64 && mode === 'sync' ? ` ${round}` : ''),
      concurrency, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, perSignup,
      cpuOwn: cpu(own), cpuStore: cpu(dynalite) });
    if (r.errors) log('errors:', JSON.stringify(r.errorSamples));
  };

  if (prewarm > 0) {
    for (const [who, url] of [['peer', peer + '/signup'], ['service', base + '/signup?wait=true']]) {
      log(`${who} warm-up: ${prewarm} s at c=64, not measured ...`);
      execFileSync('node', [path.join(rig, 'load.js'), url, '--concurrency', '64', '--duration', String(prewarm),
        '--warmup', '0', '--expect', '200'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    }
    await waitUntil(async () => { const m = await metrics(base); return m.executions >= m.accepted; }, 60000, 'executions to end');
  }

  const ratios = [];
  for (let i = 1; i <= rounds; i++) {
    round = `${i}/${rounds}`;
    await run('peer', 'sync', peer + '/signup', 64, '200');
    await run('service', 'sync', base + '/signup?wait=true', 64, '200');
    ratios.push(rows[rows.length - 1].rps / rows[rows.length - 2].rps);
  }
  // c=1 after the rounds, when both have compiled what stays hot; the stubs alone give the floor it is held to
  log('stubs alone c=1 ...');
  const floor = load(stubs + '/api/users.admin.invite', 1, '200');
  await run('peer', 'sync', peer + '/signup', 1, '200');
  await run('service', 'sync', base + '/signup?wait=true', 1, '200');
  const beforeAccepts = await metrics(base);
  await run('service', '202', base + '/signup', 64, '202');
  const doorWaits = (await metrics(base)).doorWaits - beforeAccepts.doorWaits;
  const rss = rssMiB(service.pid);
  log('dynalite alone c=1 ...');
  const writes = await writeFloor(dynamo);
  log('dynalite alone c=64 ...');
  const ceiling = await createCeiling(dynamo, Number(duration));

  const pad = (v, n) => String(v).padEnd(n);
  console.log(`\nmachine: ${require('os').cpus().length} cores, ${Math.round(require('os').totalmem() / 2 ** 30)} GiB; `
    + `stubs ${20} ms; ${duration} s per run after ${warmup} s warm-up; both first warmed ${prewarm} s at c=64; `
    + new Date().toISOString());
  console.log(pad('', 9) + pad('mode', 10) + pad('conc', 6) + pad('sign-ups/s', 12) + pad('p50 ms', 8) + pad('p99 ms', 8)
    + pad('errors', 8) + pad('DynamoDB req/sign-up', 22) + 'CPU ms/sign-up: own, dynalite');
  for (const r of rows) {
    console.log(pad(r.who, 9) + pad(r.mode, 10) + pad(r.concurrency, 6) + pad(r.rps, 12) + pad(r.p50, 8) + pad(r.p99, 8)
      + pad(r.errors, 8) + pad(r.perSignup, 22) + `${r.cpuOwn}, ${r.cpuStore}`);
  }
  const x = (v) => `${Math.round(v * 100) / 100}x`;
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
  console.log(`service: ready ${readyMs} ms after start (external dynalite), RSS ${rss} MiB after the run; `
    + `sync c=64 throughput ${x(median)} the peer's`
    + (ratios.length > 1 ? ` (median of ${ratios.length} rounds: ${ratios.map(x).join(', ')})` : ''));
  const c1 = (who) => rows.find((r) => r.who === who && r.concurrency === 1).p50;
  console.log(`c=1: the stubs alone answer in p50 ${floor.p50} ms; the service adds `
    + `${Math.round((c1('service') - floor.p50) * 10) / 10} ms, the peer ${Math.round((c1('peer') - floor.p50) * 10) / 10} ms`);
  console.log(`202: ${doorWaits} sign-ups waited for a place in the backlog (SIGNUP_MAX_WAITING)`);
  console.log(`c=1: dynalite alone writes an execution item in p50 ${writes.quiet} ms after 20 ms of quiet, `
    + `${writes.busy} ms right after another request; the service writes twice on a sign-up's path (the create, and `
    + 'the outcome after the steps)');
  console.log(`202: dynalite alone takes ${ceiling.rps} creates/s from 64 writers (p50 ${ceiling.p50} ms, p99 `
    + `${ceiling.p99} ms), with no service and no execution beside it: 64 clients cannot average under `
    + `${Math.round(64000 / ceiling.rps * 10) / 10} ms per accepted sign-up on this store`);
}

function stopAll() { for (const c of children) { try { c.kill('SIGKILL'); } catch (e) { /* gone */ } } }
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
