// What bench/run.js and bench/two-instances.js share: the load rig (../shared/bench, copied to target/bench-rig and
// installed there on first use), the processes they start (their output in target/bench-<name>.log), and the
// figures they read from /proc and from the service's metrics.
'use strict';
const { spawn, execFile, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const rig = path.join(repo, 'target', 'bench-rig');
const jar = path.join(repo, 'target', 'community-signup.jar');
// the service runs through its launcher (bin/community-signup, which execs java: the pid stays the JVM's)
const launcher = path.join(repo, 'bin', 'community-signup');
/** The JVM settings the launcher uses unless SIGNUP_JAVA_OPTS replaces them (a variant adds to these). */
const launcherOpts = /SIGNUP_JAVA_OPTS:-([^}]*)}/.exec(fs.readFileSync(launcher, 'utf8'))[1];
const children = [];

function log(...m) { console.error('[bench]', ...m); }

function option(args, name, def) {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : def;
}

function prepareRig(sharedRig) {
  if (!fs.existsSync(jar)) throw new Error('build first: mvn -q package -DskipTests');
  fs.mkdirSync(path.join(repo, 'target'), { recursive: true });
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

function request(url, method = 'GET', body, headers = {}) {
  return new Promise((resolve) => {
    const type = body ? { 'Content-Type': 'application/json' } : {};
    const req = http.request(url, { method, headers: { ...type, ...headers } }, (res) => {
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
    accepted: sum('signup_signups_accepted_total'), doorWaits: sum('signup_admission_waits_total'),
    resumed: sum('signup_executions_resumed_total') };
}

/** Until every execution the service accepted has ended. */
function executionsEnded(base, timeoutMs = 120000) {
  return waitUntil(async () => { const m = await metrics(base); return m.executions >= m.accepted; }, timeoutMs,
    'executions to end');
}

function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in clock ticks of 10 ms
}

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => { try { child.kill('SIGKILL'); } catch (e) { /* gone */ } }, 20000).unref();
  });
}

async function startDynalite() {
  const proc = start('dynalite', 'node', [path.join(repo, 'embedded-dynamodb', 'server.js'), '0']);
  return { proc, url: `http://127.0.0.1:${(await waitForLine('dynalite', /listening on port (\d+)/))[1]}` };
}

function startStubs() {
  const port = 18700 + Math.floor(Math.random() * 200);
  const proc = start('stubs', 'node', [path.join(rig, 'stubs.js'), String(port)], { STUB_LATENCY_MS: '20' });
  return waitForLine('stubs', /stubs listening/).then(() => ({ proc, url: `http://127.0.0.1:${port}`, port }));
}

/** The service as the README starts it, configured by environment variables only, every rate limit off. */
async function startService({ name = 'service', port, dynamo, stubs, javaOpts = '', env = {} }) {
  const t0 = Date.now();
  const proc = start(name, launcher, [], {
    ...(javaOpts ? { SIGNUP_JAVA_OPTS: javaOpts } : {}),
    SIGNUP_PORT: String(port), DYNAMODB_ENDPOINT: dynamo, SIGNUP_ROUTES_RELOAD: 'false',
    SLACK_API_URL: stubs + '/api', SLACK_ADMIN_TOKEN: 'xoxs-test-token',
    ACTIVECAMPAIGN_URL: stubs, ACTIVECAMPAIGN_API_KEY: 'ac-test-key',
    ACTIVECAMPAIGN_RATE_LIMIT: '0', SLACK_RATE_LIMIT: '0', SIGNUP_RATE_LIMIT: '0', ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await request(base + '/observe/health/ready')).status === 200, 60000, name);
  return { proc, base, readyMs: Date.now() - t0 };
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
    startedAt: { S: new Date().toISOString() }, listing: { S: new Date().toISOString().slice(0, 10) },
    document: { S: 'x'.repeat(1200) }, ...extra };
}

/** One run of ../shared/bench/load.js; resolves with its JSON line. */
function load(url, how, expect, seconds, warm) {
  return new Promise((resolve, reject) => {
    execFile('node', [path.join(rig, 'load.js'), url, ...how, '--duration', String(seconds), '--warmup', String(warm),
      '--expect', expect], { encoding: 'utf8', maxBuffer: 1 << 24 }, (error, stdout) => {
      if (error) return reject(error);
      resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

function stopAll() { for (const c of children) { try { c.kill('SIGKILL'); } catch (e) { /* gone */ } } }
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));

module.exports = { repo, rig, launcherOpts, log, option, prepareRig, start, waitForLine, request, waitUntil,
  metrics, executionsEnded, cpuMs, rssMiB, stop, startDynalite, startStubs, startService, load, dynamoCall,
  executionItem };
