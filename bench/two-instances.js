#!/usr/bin/env node
// Two instances of the service on one store, as two hosts share one DynamoDB table: each started as the README
// says, with an instance id of its own, each driven with half the benchmark's load (sync, c=32 each), beside one
// instance alone at c=64 on a store of its own. Then, from the stubs' record of every call they received, that
// no sign-up ran twice: one Slack invite and one ActiveCampaign sync per e-mail, and as many e-mails as sign-ups
// the two instances accepted; and that the operator's listing (GET /executions, a page at a time) shows each of
// them once, finished. Prints the throughputs and the checks; exits 1 when a sign-up ran twice or not at all, or
// the listing misses one or shows one twice.
//
//   node bench/two-instances.js [--duration 15] [--warmup 20]
//
// Needs what bench/run.js needs (it installs the load rig on first use).
'use strict';
const path = require('path');
const { repo, log, option, prepareRig, request, metrics, executionsEnded, stop, startDynalite, startStubs,
  startService, load } = require('./rig');

const args = process.argv.slice(2);
const duration = Number(option(args, 'duration', '15'));
const warmup = Number(option(args, 'warmup', '20'));
const javaOpts = option(args, 'java-opts', process.env.SIGNUP_JAVA_OPTS || '');
const sharedRig = path.resolve(option(args, 'rig', path.join(repo, '..', 'shared', 'bench')));
const ADMIN_TOKEN = 'bench-operator-token-0123456789abcdef';

/** Every execution the operator's listing shows, paging through it as the dashboard does. */
async function listed(base) {
  const all = [];
  let cursor = null;
  do {
    const answer = await request(`${base}/executions?limit=100${cursor ? `&cursor=${cursor}` : ''}`, 'GET', undefined,
      { Authorization: `Bearer ${ADMIN_TOKEN}` });
    if (answer.status !== 200) throw new Error(`GET /executions: ${answer.status} ${answer.body}`);
    const page = JSON.parse(answer.body);
    all.push(...page.executions);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function main() {
  prepareRig(sharedRig);
  const { url: stubs, port: stubPort } = await startStubs();
  const port = stubPort + 300;
  const sync = (base) => base + '/signup?wait=true';

  log('one instance alone, c=64 ...');
  let dynalite = await startDynalite();
  const alone = await startService({ port, dynamo: dynalite.url, stubs, javaOpts });
  await load(sync(alone.base), ['--concurrency', '64'], '200', warmup, 0);
  const one = await load(sync(alone.base), ['--concurrency', '64'], '200', duration, 0);
  await stop(alone.proc);
  await stop(dynalite.proc);

  log('two instances on one store, c=32 each ...');
  dynalite = await startDynalite();
  const a = await startService({ name: 'service-a', port, dynamo: dynalite.url, stubs, javaOpts,
    env: { SIGNUP_INSTANCE_ID: 'bench-a', SIGNUP_ADMIN_TOKEN: ADMIN_TOKEN } });
  const b = await startService({ name: 'service-b', port: port + 1, dynamo: dynalite.url, stubs, javaOpts,
    env: { SIGNUP_INSTANCE_ID: 'bench-b', SIGNUP_ADMIN_TOKEN: ADMIN_TOKEN } });
  await request(stubs + '/_calls', 'DELETE');
  const both = (seconds) => Promise.all([a, b].map((s) => load(sync(s.base), ['--concurrency', '32'], '200', seconds, 0)));
  await both(warmup);
  const [ra, rb] = await both(duration);
  await Promise.all([a, b].map((s) => executionsEnded(s.base)));
  const [ma, mb] = await Promise.all([a, b].map((s) => metrics(s.base)));

  const calls = JSON.parse((await request(stubs + '/_calls')).body);
  const perEmail = { slack: new Map(), ac: new Map() };
  for (const call of calls) {
    const api = call.path.endsWith('/users.admin.invite') ? 'slack' : call.path === '/api/3/contact/sync' ? 'ac' : null;
    if (!api) continue;
    const email = api === 'slack' ? new URLSearchParams(call.body).get('email') : JSON.parse(call.body).contact.email;
    perEmail[api].set(email, (perEmail[api].get(email) || 0) + 1);
  }
  const accepted = ma.accepted + mb.accepted;
  const twice = (m) => [...m.values()].filter((n) => n > 1).length;
  const ok = perEmail.slack.size === accepted && perEmail.ac.size === accepted
    && twice(perEmail.slack) === 0 && twice(perEmail.ac) === 0;
  const t0 = Date.now();
  const executions = await listed(a.base);
  const listMs = Date.now() - t0;
  const ids = new Set(executions.map((e) => e.executionId));
  const succeeded = executions.filter((e) => e.status === 'SUCCEEDED' && perEmail.slack.has(e.input.email)).length;
  const listedOk = executions.length === accepted && ids.size === accepted && succeeded === accepted;

  console.log(`\none instance, c=64: ${one.rps} sign-ups/s (p50 ${one.p50} ms, p99 ${one.p99} ms, ${one.errors} errors)`);
  console.log(`two instances on one store, c=32 each: ${Math.round((ra.rps + rb.rps) * 10) / 10} sign-ups/s together `
    + `(a ${ra.rps}, p99 ${ra.p99} ms; b ${rb.rps}, p99 ${rb.p99} ms; ${ra.errors + rb.errors} errors)`);
  console.log(`run once: ${accepted} sign-ups accepted (a ${ma.accepted}, b ${mb.accepted}), ${perEmail.slack.size} `
    + `e-mails invited, ${perEmail.ac.size} synced; invited twice: ${twice(perEmail.slack)}, synced twice: `
    + `${twice(perEmail.ac)}; executions taken over: ${ma.resumed + mb.resumed}` + (ok ? '' : '  <- FAILED'));
  console.log(`listed once: GET /executions on a, 100 a page, shows ${executions.length} executions (${ids.size} `
    + `distinct, ${succeeded} SUCCEEDED and invited) of ${accepted} accepted, in ${listMs} ms`
    + (listedOk ? '' : '  <- FAILED'));
  console.log('(on this 2-core machine the two JVMs, dynalite, the stubs and the load generator share the cores: '
    + 'the combined figure shows the shared store and the leases at work, not how N hosts scale)');
  process.exitCode = ok && listedOk ? 0 : 1;
}

main().then(() => process.exit(process.exitCode || 0), (e) => { console.error(e); process.exit(1); });
