#!/usr/bin/env node
// What one write costs dynalite's CPU, by the shape of the item and of its table: a fresh dynalite in memory (as
// bench/run.js gives it), then, in turn and for ROUNDS rounds (2), COUNT (20,000) PutItems from 64 writers of a
// member's item, of an execution's item (its document about 1.2 KB) created and then overwritten in a table without
// indexes, and the same in a table with the executions table's three indexes (as the service creates it). Prints
// each run's writes per second and dynalite's CPU per write (user and system time from /proc).
//   node bench/dynalite-writes.js
'use strict';
const http = require('http');
const { cpuMs, stop, startDynalite, dynamoCall, executionItem } = require('./rig');

const rounds = Number(process.env.ROUNDS || 2);
const count = Number(process.env.COUNT || 20000);
const key = (name, type) => ({ AttributeName: name, KeyType: type });
const text = (name) => ({ AttributeName: name, AttributeType: 'S' });
const index = (name, keys, projection) => ({ IndexName: name, KeySchema: keys, Projection: projection });

(async () => {
  const dynalite = await startDynalite();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const call = (operation, body) => dynamoCall(dynalite.url, agent, operation, body);
  await call('CreateTable', { TableName: 'plain', KeySchema: [key('email', 'HASH')],
    AttributeDefinitions: [text('email')], BillingMode: 'PAY_PER_REQUEST' });
  await call('CreateTable', { TableName: 'indexed', KeySchema: [key('email', 'HASH')],
    AttributeDefinitions: ['email', 'executionId', 'status', 'startedAt', 'listing'].map(text),
    BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [
      index('executionId-index', [key('executionId', 'HASH')], { ProjectionType: 'KEYS_ONLY' }),
      index('status-index', [key('status', 'HASH'), key('startedAt', 'RANGE')],
        { ProjectionType: 'INCLUDE', NonKeyAttributes: ['leaseUntil'] }),
      index('listing-index', [key('listing', 'HASH'), key('startedAt', 'RANGE')], { ProjectionType: 'KEYS_ONLY' })] });
  const member = (i) => ({ email: { S: `member-${i}@bench.example.org` }, first_name: { S: 'Santa' },
    last_name: { S: 'Claus' }, signed_up_at: { S: new Date().toISOString() } });
  const running = (i) => executionItem(`exec-${i}`, 'RUNNING',
    { leaseOwner: { S: 'bench' }, leaseUntil: { N: String(Date.now() + 30000) } });
  const finished = (i) => executionItem(`exec-${i}`, 'SUCCEEDED');
  async function run(label, table, item, createOnly, from) {
    let next = 0;
    const c0 = cpuMs(dynalite.proc.pid);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (next < count) {
        const body = { TableName: table, Item: item(from + next++) };
        if (createOnly) body.Expected = { email: { Exists: false } };
        await call('PutItem', body);
      }
    }));
    const perWrite = ((cpuMs(dynalite.proc.pid) - c0) * 1000) / count;
    console.log(`${label.padEnd(36)} ${String(Math.round(count / ((Date.now() - t0) / 1000))).padStart(6)} writes/s`
      + `  ${String(Math.round(perWrite)).padStart(4)} µs of dynalite's CPU each`);
  }
  for (let r = 0; r < rounds; r++) {
    const from = r * count;
    await run('member', 'plain', member, false, from);
    await run('execution, no indexes, create', 'plain', running, true, from);
    await run('execution, no indexes, overwrite', 'plain', finished, false, from);
    await run('execution, three indexes, create', 'indexed', running, true, from);
    await run('execution, three indexes, overwrite', 'indexed', finished, false, from);
  }
  agent.destroy();
  await stop(dynalite.proc);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
