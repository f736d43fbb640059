/**
 * A DaemonServices built from real parts for the intake and drain tests, before the daemon itself
 * exists to build one: a real project in a temp folder and its real SQLite state, an
 * OperationContext opened as the daemon opens one (CleverTap through the real client at the
 * emulator on a loopback port), pino writing JSON lines to a buffer, real prom-client metrics,
 * and a fastify app with the intake routes, driven with `inject`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { createMetrics } from '../../src/daemon/metrics.js';
import type { DaemonServices } from '../../src/daemon/services.js';
import { registerIntakeRoutes } from '../../src/daemon/http/intake-routes.js';
import { startOutboxDrain, type DrainOptions, type OutboxDrain } from '../../src/daemon/outbox-drain.js';
import type { SandboxOptions } from '../../src/sandbox/server.js';
import { openOperations, type Opened } from '../operations/runtime-helpers.js';

export const TOKEN = 'test-api-token-0123456789';
export const SECRET = 'test-webhook-secret-abcdef';
export const AUTH = { authorization: `Bearer ${TOKEN}` };
/** The replica id the test drain claims under. */
export const CLAIMER = 'replica-under-test';

export interface Intake {
  o: Opened;
  services: DaemonServices;
  app: FastifyInstance;
  /** The JSON lines pino wrote. */
  logs(): Record<string, unknown>[];
  /** Raw log text, to show what is never in it. */
  logText(): string;
  fetches: number;
  wakes: number;
  errors: { where: string; message: string }[];
  setDraining(on: boolean): void;
  /** Starts the drain (stopped after the test), claiming as replica CLAIMER unless told otherwise. */
  drain(opts?: Partial<DrainOptions>): OutboxDrain;
}

const apps: FastifyInstance[] = [];
const drains: OutboxDrain[] = [];

afterEach(async () => {
  for (const d of drains.splice(0)) await d.stop();
  for (const a of apps.splice(0)) await a.close();
});

export async function openIntake(opts: { apiToken?: string | null; webhookSecret?: string | null; branch?: string | null; sandbox?: SandboxOptions; state?: string } = {}): Promise<Intake> {
  const o = await openOperations({ sandbox: opts.sandbox, state: opts.state });
  const openedAt = Date.now();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  let draining = false;
  let drain: OutboxDrain | null = null;
  const errors: Intake['errors'] = [];
  const intake = {} as Intake;
  const services: DaemonServices = {
    log: pino({ level: 'debug' }, sink),
    metrics: createMetrics(),
    store: o.ctx.store,
    secrets: { apiToken: opts.apiToken === undefined ? TOKEN : opts.apiToken, webhookSecret: opts.webhookSecret === undefined ? SECRET : opts.webhookSecret },
    branch: opts.branch === undefined ? 'main' : opts.branch,
    // The daemon's clock runs (CAMPAIGNCTL_NOW starts it, it does not stop it): from the context's instant on.
    clock: () => new Date(o.ctx.clock().getTime() + (Date.now() - openedAt)),
    context: () => o.ctx,
    status: () => Promise.reject(new Error('status is the core daemon\'s, not under test here')),
    readiness: () => ({ ready: !draining, reasons: draining ? ['draining'] : [] }),
    requestReconcile: () => undefined,
    requestFetch: () => void intake.fetches++,
    wakeOutbox: () => {
      intake.wakes++;
      drain?.wake();
    },
    draining: () => draining,
    recordError: (where, message) => void errors.push({ where, message }),
  };
  const app = Fastify();
  registerIntakeRoutes(app, services);
  await app.ready();
  apps.push(app);
  return Object.assign(intake, {
    o,
    services,
    app,
    logs: () => lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    logText: () => lines.join(''),
    fetches: 0,
    wakes: 0,
    errors,
    setDraining: (on: boolean) => void (draining = on),
    drain: (dopts?: Partial<DrainOptions>) => {
      drain = startOutboxDrain(services, { claimer: CLAIMER, ...dopts });
      drains.push(drain);
      return drain;
    },
  });
}

/** Polls `check` until it holds (or fails the test after `ms`). */
export async function until(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
