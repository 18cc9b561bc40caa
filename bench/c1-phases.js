#!/usr/bin/env node
// Where a sign-up's time goes at c=1 (issue 17's latency target), split by the execution document's own times:
// the service through the launcher on a fresh dynalite and the rig's stubs (20 ms), 40 s of c=8 to warm it, then
// COUNT (600) `?wait=true` sign-ups one after another. For each: from the request to the execution's startedAt
// (the HTTP server, validation), from there to its first step's start (the create's write, the fan-out's
// hand-off), the steps (the slowest, and each), from the last step's end to the execution's stoppedAt (the
// aggregation), and from there to the answer (the outcome's write, the answer's way out). The document's times are
// in whole milliseconds: the means (of the middle 80%) are the finer figures. Also dynalite alone: an outcome's
// write as the service makes it (BatchWriteItem) and as PutItem, c=1, after 20 ms of quiet; and the Slack stub
// alone, c=1, one call at a time.
//   mvn -q package -DskipTests && node bench/c1-phases.js
'use strict';
const http = require('http');
const path = require('path');
const { repo, prepareRig, startDynalite, startStubs, startService, stop, dynamoCall, executionItem } = require('./rig');

const count = Number(process.env.COUNT || 600);

function signUp(base, agent, body) {
  return new Promise((resolve, reject) => {
    const sent = Date.now();
    const t0 = process.hrtime.bigint();
    const req = http.request(base + '/signup?wait=true', { method: 'POST', agent,
      headers: { 'Content-Type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (chunk) => (data += chunk));
      res.on('end', () => resolve({ sent, ms: Number(process.hrtime.bigint() - t0) / 1e6, doc: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const sorted = (a) => [...a].sort((x, y) => x - y);
const p50 = (a) => sorted(a)[a.length >> 1];
const middleMean = (a) => {
  const s = sorted(a).slice(Math.floor(a.length * 0.1), Math.ceil(a.length * 0.9));
  return s.reduce((x, y) => x + y, 0) / s.length;
};

(async () => {
  prepareRig(path.join(repo, '..', 'shared', 'bench'));
  const dynalite = await startDynalite();
  const stubs = await startStubs();
  const service = await startService({ port: stubs.port + 300, dynamo: dynalite.url, stubs: stubs.url });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const warmUntil = Date.now() + 40000;
  let n = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (Date.now() < warmUntil) await signUp(service.base, agent, { email: `warm${n++}@example.org`, name: 'W U' });
  }));
  const phases = { 'request to startedAt': [], 'startedAt to first step': [], 'slowest step': [],
    'last step to stoppedAt': [], 'stoppedAt to answer': [], 'RecordDB': [], 'RecordAC': [], 'InviteSlack': [],
    'whole sign-up': [] };
  for (let i = 0; i < count; i++) {
    const { sent, ms, doc } = await signUp(service.base, agent, { email: `c1-${i}@example.org`, name: 'C One' });
    const at = (iso) => Date.parse(iso);
    const steps = Object.values(doc.results);
    const first = Math.min(...steps.map((s) => at(s.startedAt)));
    const last = Math.max(...steps.map((s) => at(s.stoppedAt)));
    phases['request to startedAt'].push(at(doc.startedAt) - sent);
    phases['startedAt to first step'].push(first - at(doc.startedAt));
    phases['slowest step'].push(last - first);
    phases['last step to stoppedAt'].push(at(doc.stoppedAt) - last);
    phases['stoppedAt to answer'].push(sent + ms - at(doc.stoppedAt));
    for (const step of ['RecordDB', 'RecordAC', 'InviteSlack']) {
      phases[step].push(at(doc.results[step].stoppedAt) - at(doc.results[step].startedAt));
    }
    phases['whole sign-up'].push(ms);
  }
  await stop(service.proc);
  const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const outcome = { BatchWriteItem: [], PutItem: [] };
  const table = 'signup-executions';
  for (let i = 0; i < 300; i++) {
    for (const operation of i % 2 ? ['PutItem', 'BatchWriteItem'] : ['BatchWriteItem', 'PutItem']) {
      const key = `outcome-${operation}-${i}`;
      await dynamoCall(dynalite.url, one, 'PutItem', { TableName: table, Item: executionItem(key, 'RUNNING') });
      await new Promise((r) => setTimeout(r, 20));
      const item = executionItem(key, 'SUCCEEDED');
      outcome[operation].push(await dynamoCall(dynalite.url, one, operation, operation === 'PutItem'
        ? { TableName: table, Item: item } : { RequestItems: { [table]: [{ PutRequest: { Item: item } }] } }));
    }
  }
  const stubAlone = [];
  for (let i = 0; i < 300; i++) {
    stubAlone.push(await new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(stubs.url + '/api/users.admin.invite', { method: 'POST', agent: one,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
      });
      req.on('error', reject);
      req.end(`token=xoxs-test-token&email=alone${i}%40example.org`);
    }));
  }
  await stop(stubs.proc);
  await stop(dynalite.proc);
  const f = (v) => v.toFixed(2).padStart(7);
  console.log(`\nc=1, ${count} sign-ups after 40 s of c=8, ${new Date().toISOString()}`);
  console.log('phase'.padEnd(26) + 'p50 ms'.padStart(7) + '  mean of middle 80%');
  for (const [name, values] of Object.entries(phases)) {
    console.log(name.padEnd(26) + f(p50(values)) + '  ' + f(middleMean(values)));
  }
  for (const [operation, values] of Object.entries(outcome)) {
    console.log(`dynalite alone, an outcome as ${operation}`.padEnd(44) + f(p50(values)) + '  ' + f(middleMean(values)));
  }
  console.log('the Slack stub alone'.padEnd(44) + f(p50(stubAlone)) + '  ' + f(middleMean(stubAlone)));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
