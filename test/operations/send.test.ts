/**
 * send and trigger as a daemon or a program calls them: plain values in, data out, progress as
 * events, nothing printed. A real project and SQLite state in a temp folder, CleverTap through the
 * real client at the emulator on a loopback port.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project-index/load.js';
import { openContext } from '../../src/operations/context.js';
import { checkSend, send } from '../../src/operations/send.js';
import { trigger } from '../../src/operations/trigger.js';
import type { OperationEvent } from '../../src/operations/events.js';
import { parseRecipientsText } from '../../src/cli/shared/identities.js';
import { NOW, TRIGGER_ID, ids, writeProject } from '../runtime/fixture.js';
import { batchEvents, openOperations } from './runtime-helpers.js';

const DATA = { orderId: 'SN-104233', carrier: 'DHL' };

describe('send', () => {
  it('2,500 identities: three calls, one send.batch event each, a report as data, nothing printed', async () => {
    const o = await openOperations();
    const to = { Identity: ids(2000), email: ids(500, 'm-').map((x) => `${x}@example.com`) };
    const result = await send(o.ctx, { contract: 'order-shipped', to, data: DATA });

    expect(result.status).toBe('done');
    if (result.status !== 'done') return;
    expect(result.report).toMatchObject({ address: 'message.order-shipped', identities: 2500, calls: 3, sent: 2500, failed: 0, unknown: 0, outcome: 'succeeded' });
    expect(result.files).toEqual({ failed: null, unknown: null });
    expect(result.retry).toBeNull();
    expect(result.sandbox).toBe(false);

    const batches = batchEvents(o.events);
    expect(batches.map((e) => e.done)).toEqual([1, 2, 3]);
    expect(batches.every((e) => e.total === 3 && e.status === 'sent' && e.address === 'message.order-shipped')).toBe(true);
    expect(batches.map((e) => e.batch).sort()).toEqual([1, 2, 3]);
    expect(batches.map((e) => e.identities).sort((a, b) => a - b)).toEqual([500, 1000, 1000]);
    expect(o.emulator.state.sends()).toHaveLength(3);
    expect(await o.audit()).toMatchObject([{ command: 'send', address: 'message.order-shipped', outcome: 'succeeded', detail: { identities: 2500, calls: 3 } }]);
    expect(o.printed()).toBe('');
  });

  it('identity keys in any case, a key without a list, repeated ids: each identity once, the drop told as a debug event', async () => {
    const o = await openOperations();
    const result = await send(o.ctx, { contract: 'message.order-shipped', to: { identity: ['u-1', ' u-2', 'u-1'], Email: undefined }, data: DATA });
    expect(result.status).toBe('done');
    expect(o.emulator.state.requests().map((r) => (r.body as { to: unknown }).to)).toEqual([{ Identity: ['u-1', 'u-2'] }]);
    expect(o.events).toContainEqual({ kind: 'debug', text: '1 repeated id(s) dropped: each identity is sent once' });
  });

  it.each<[string, Parameters<typeof send>[1], string]>([
    ['an unknown Message', { contract: 'order-shiped', to: { Identity: ['u-1'] }, data: DATA }, 'runtime.unknown-contract'],
    ['data outside the contract', { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: { orderId: '12', carrier: 'FedEx' } }, 'render.data-invalid'],
    ['Liquid in a data value', { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: { ...DATA, orderId: '{{ Profile.email }}' } }, 'input.liquid-in-data'],
    ['a key that reaches the prototype', { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: JSON.parse('{"__proto__": {"x": 1}}') }, 'input.invalid'],
    ['an identity key no endpoint takes', { contract: 'order-shipped', to: { Emial: ['a@x.com'] }, data: DATA }, 'runtime.identity-key'],
    ['an empty id', { contract: 'order-shipped', to: { Identity: ['u-1', ''] }, data: DATA }, 'input.invalid'],
    ['nobody to send to', { contract: 'order-shipped', to: {}, data: DATA }, 'runtime.no-recipients'],
  ])('%s is refused as data: nothing sent, nothing recorded, nothing printed', async (_name, options, code) => {
    const o = await openOperations();
    const result = await send(o.ctx, options);
    expect(result.status).toBe('refused');
    if (result.status !== 'refused') return;
    expect(result.diagnostics.map((d) => d.code)).toContain(code);
    expect(result.diagnostics.every((d) => d.severity === 'error' || d.severity === 'warning')).toBe(true);
    expect(o.emulator.state.requests()).toHaveLength(0);
    expect(await o.audit()).toHaveLength(0);
    expect(batchEvents(o.events)).toHaveLength(0);
    expect(o.printed()).toBe('');
  });

  it('the near miss of a key is named with a suggestion', async () => {
    const o = await openOperations();
    const result = await send(o.ctx, { contract: 'order-shipped', to: { Emial: ['a@x.com'] }, data: DATA });
    expect(result.status === 'refused' && result.diagnostics[0]).toMatchObject({ code: 'runtime.identity-key', hint: 'did you mean `Email`?' });
  });

  it('a dry run renders every call and connects, sends and records nothing', async () => {
    const o = await openOperations();
    const result = await send(o.ctx, { contract: 'order-shipped', to: { Identity: ids(1002) }, data: DATA, dryRun: true });
    expect(result.status).toBe('dry-run');
    if (result.status !== 'dry-run') return;
    expect(result.prepared.batches.map((b) => b.count)).toEqual([1000, 2]);
    expect(result.prepared.body).toMatchObject({ content: { title: 'Order SN-104233 is on its way' } });
    expect(o.emulator.state.requests()).toHaveLength(0);
    expect(await o.audit()).toHaveLength(0);
  });

  it('checkSend needs only the project and the clock: no state is opened', async () => {
    const dir = writeProject();
    const project = await loadProject({ dir, environ: {} });
    const events: OperationEvent[] = [];
    const ready = checkSend({ project, events: (e) => events.push(e), clock: () => NOW }, { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: DATA });
    expect(ready).toMatchObject({ status: 'ready', prepared: { address: 'message.order-shipped', identities: 1, endpoint: '/1/send/push.json' } });
    const refused = checkSend({ project, events: (e) => events.push(e), clock: () => NOW }, { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: {} });
    expect(refused.status).toBe('refused');
    expect(existsSync(path.join(dir, '.campaignctl', 'live.db'))).toBe(false);
  });

  it('a definitely failed call: its ids in a 0600 CSV that reads back, the data in a file the retry names', async () => {
    const o = await openOperations();
    o.emulator.state.injectFaults([{ fault: '429', family: 'send', count: 5 }]); // the client's 5 attempts
    const outDir = path.join(o.dir, 'out');
    const result = await send(o.ctx, { contract: 'order-shipped', to: { Identity: ['u-1', 'u-2'] }, data: DATA, outDir });
    expect(result.status).toBe('done');
    if (result.status !== 'done') return;
    expect(result.report).toMatchObject({ outcome: 'failed', failed: 2, sent: 0 });
    expect(batchEvents(o.events)).toMatchObject([{ batch: 1, status: 'failed', identities: 2, done: 1, total: 1 }]);
    const failed = result.files.failed!;
    expect(path.dirname(failed)).toBe(outDir);
    expect(statSync(failed).mode & 0o777).toBe(0o600);
    const back = parseRecipientsText(readFileSync(failed, 'utf8'), 'Email');
    expect(back.ok && back.entries).toEqual([['Identity', 'u-1'], ['Identity', 'u-2']]);
    // Given as values, the data can only be given again from a file.
    const dataFile = /--data (\S+\.data\.json)/.exec(result.retry!)![1]!;
    expect(JSON.parse(readFileSync(dataFile, 'utf8'))).toEqual(DATA);
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);
    expect(result.retry).toBe(`campaignctl --env live send order-shipped --data ${dataFile} --to-file ${failed}`);
    expect(o.printed()).toBe('');
  });

  it('the data words of a command line are repeated in the retry; without outDir no file is written', async () => {
    const o = await openOperations();
    o.emulator.state.injectFaults([{ fault: '429', family: 'send', count: 10 }]);
    const outDir = path.join(o.dir, 'out');
    const words = ['--set', 'orderId=SN-104233', '--set', 'carrier=DHL'];
    const first = await send(o.ctx, { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: DATA, outDir, dataWords: words });
    expect(first.status === 'done' && first.retry).toBe(`campaignctl --env live send order-shipped --set orderId=SN-104233 --set carrier=DHL --to-file ${first.status === 'done' ? first.files.failed : ''}`);
    const second = await send(o.ctx, { contract: 'order-shipped', to: { Identity: ['u-2'] }, data: DATA });
    expect(second.status === 'done' && { files: second.files, retry: second.retry, failed: second.report.failedRecipients }).toEqual({
      files: { failed: null, unknown: null },
      retry: null,
      failed: { Identity: ['u-2'] },
    });
  });

  it('an ambiguous call: its ids reported unknown and written to the .unknown.csv, never resent', async () => {
    const o = await openOperations();
    o.emulator.state.injectFaults([{ fault: 'drop-after-commit', family: 'send' }]);
    const result = await send(o.ctx, { contract: 'order-shipped', to: { Identity: ids(1500) }, data: DATA, outDir: o.dir });
    expect(result.status === 'done' && result.report).toMatchObject({ outcome: 'unknown', unknown: 1000, sent: 500 });
    if (result.status !== 'done') return;
    expect(result.files.failed).toBeNull();
    expect(result.files.unknown).toMatch(/send-order-shipped-\d{8}T\d{6}Z\.unknown\.csv$/);
    expect(batchEvents(o.events).map((e) => e.status).sort()).toEqual(['sent', 'unknown']);
    expect(o.emulator.state.requests()).toHaveLength(2);
  });

  it('an aborted signal: no call starts, every batch is reported failed (not attempted)', async () => {
    const o = await openOperations();
    const abort = new AbortController();
    abort.abort();
    const result = await send(o.ctx, { contract: 'order-shipped', to: { Identity: ids(2500) }, data: DATA, signal: abort.signal });
    expect(result.status === 'done' && result.report).toMatchObject({ outcome: 'failed', failed: 2500, sent: 0, calls: 0 });
    expect(batchEvents(o.events).map((e) => e.status)).toEqual(['failed', 'failed', 'failed']);
    expect(o.emulator.state.requests()).toHaveLength(0);
  });
});

describe('send with a wrong passcode', () => {
  it('the refusal comes back as data; every batch is failed, none delivered', async () => {
    const o = await openOperations({ passcode: 'wrong-passcode' });
    const result = await send(o.ctx, { contract: 'order-shipped', to: { Identity: ids(2500) }, data: DATA });
    expect(result.status).toBe('done');
    if (result.status !== 'done') return;
    expect(result.credentialsRefused).toMatchObject({ code: 'clevertap.auth-failed', severity: 'error' });
    expect(result.report).toMatchObject({ outcome: 'failed', sent: 0, failed: 2500 });
    expect(result.report.batches.map((b) => b.status)).toEqual(['failed', 'failed', 'failed']);
    expect(o.emulator.state.requests().every((r) => r.response?.status === 401)).toBe(true);
    expect(o.printed()).toBe('');
  });

  it('a send that went well says no refusal', async () => {
    const o = await openOperations();
    const result = await send(o.ctx, { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: DATA });
    expect(result.status === 'done' && result.credentialsRefused).toBeNull();
  });
});

describe('send on the embedded sandbox', () => {
  it('connects on first need, says where it sends as a debug event, and marks the result sandbox', async () => {
    const dir = writeProject({ 'campaignctl.yaml': 'defaultEnvironment: dev\nenvironments:\n  dev:\n    provider: sandbox\n    vars:\n      shopName: ShopNest\n' });
    const project = await loadProject({ dir, environ: {} });
    const events: OperationEvent[] = [];
    const opened = await openContext(project, { events: (e) => events.push(e), clock: () => NOW });
    if (!opened.ok) throw new Error(opened.diagnostics[0]!.message);
    const ctx = opened.value;
    try {
      const result = await send(ctx, { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: DATA });
      expect(result).toMatchObject({ status: 'done', sandbox: true, report: { outcome: 'succeeded', sent: 1 } });
      expect(events.find((e) => e.kind === 'debug' && e.text.startsWith('sending to the embedded sandbox'))).toBeDefined();
      const connection = await ctx.connect();
      expect(connection.ok && connection.value.sandbox!.state.requests().map((r) => r.path)).toEqual(['/1/send/push.json']);
    } finally {
      await ctx.close();
    }
  });
});

describe('trigger', () => {
  it('ids under the contract keys, campaign_id from the YAML, the payload as ExternalTrigger; one event', async () => {
    const o = await openOperations();
    const result = await trigger(o.ctx, { contract: 'subscription-upgraded', to: { Email: ['jane@example.com'], identity: ['u-7'] }, data: { plan: 'Premium' } });
    expect(result.status === 'done' && result.report.outcome).toBe('succeeded');
    expect(o.emulator.state.requests()[0]!.body).toEqual({ to: { identity: ['u-7'], email: ['jane@example.com'] }, campaign_id: TRIGGER_ID, ExternalTrigger: { plan: 'Premium' } });
    expect(batchEvents(o.events)).toEqual([{ kind: 'send.batch', address: 'trigger.subscription-upgraded', batch: 1, status: 'sent', identities: 2, done: 1, total: 1 }]);
    expect(await o.audit()).toMatchObject([{ command: 'trigger', address: 'trigger.subscription-upgraded', outcome: 'succeeded' }]);
    expect(o.printed()).toBe('');
  });

  it('FBID, which External Trigger does not take, is refused before anything is sent', async () => {
    const o = await openOperations();
    const result = await trigger(o.ctx, { contract: 'subscription-upgraded', to: { FBID: ['f-1'] }, data: { plan: 'Premium' } });
    expect(result).toMatchObject({ status: 'refused', diagnostics: [{ code: 'runtime.identity-key' }] });
    expect(o.emulator.state.requests()).toHaveLength(0);
  });
});
