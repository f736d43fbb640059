/**
 * validate and the emulator agree: every invalid fixture tagged `[contract: RULE]` (a rule of
 * src/clevertap/request-rules.ts) is refused by validate with the rule's offline diagnostic, and,
 * rendered as campaignctl would send it, by a strict emulator with that same rule. Every rule the
 * table says validate can know offline has such a fixture.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REQUEST_RULES } from '../../../src/clevertap/request-rules.js';
import type { RequestRule, RequestRuleId } from '../../../src/clevertap/request-rules.js';
import { loadProject } from '../../../src/project-index/load.js';
import { createTemplateEngine } from '../../../src/templates/engine.js';
import type { Resource } from '../../../src/model/resource.js';
import type { BulletinResource, CampaignResource, MessageResource } from '../../../src/model/specs.js';
import { renderRaiseBody } from '../../../src/render/bulletin.js';
import { renderCampaignBody } from '../../../src/render/campaign.js';
import { renderMessageBody } from '../../../src/render/message.js';
import type { RenderContext } from '../../../src/render/context.js';
import { closeEmulators, control, emulator, post } from '../helpers.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/invalid');
/** The corpus clock (test/fixtures/invalid/README.md). */
const NOW = new Date('2026-06-15T12:00:00Z');

const tagged = readdirSync(FIXTURES)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .flatMap((name) => {
    const text = readFileSync(path.join(FIXTURES, name), 'utf8');
    const tag = /\[contract: ([a-z-]+)\]/.exec(text);
    return tag ? [{ name, text, rule: tag[1] as RequestRuleId }] : [];
  });

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-contract-'));
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await closeEmulators();
});

async function validate(name: string, text: string) {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, 'campaigns'), { recursive: true });
  writeFileSync(path.join(root, 'campaigns', name), text);
  return loadProject({ dir: root, now: NOW, environ: {} });
}

/** The request campaignctl would send for the fixture's resource, schema or not. */
function request(text: string): { path: string; body: Record<string, unknown> } {
  const doc = parse(text) as { kind: Resource['kind']; metadata: { name: string }; spec: Record<string, unknown> };
  const prefix = doc.kind.toLowerCase();
  const r = { kind: doc.kind, name: doc.metadata.name, address: `${prefix}.${doc.metadata.name}`, labels: {}, protect: false, spec: doc.spec, source: { file: 'campaigns/x.yaml', documentIndex: 0, line: 1, column: 1 } };
  const ctx: RenderContext = { engine: createTemplateEngine({ partials: {} }), vars: {}, now: NOW, accountTimezone: 'UTC' };
  if (doc.kind === 'Campaign') {
    const rendered = renderCampaignBody(r as unknown as CampaignResource, ctx, doc.metadata.name);
    return { path: rendered.endpoint, body: rendered.body };
  }
  if (doc.kind === 'Message') {
    const rendered = renderMessageBody(r as unknown as MessageResource, ctx, {}, { Identity: ['user-1'] });
    return { path: rendered.endpoint, body: rendered.body };
  }
  if (doc.kind === 'Bulletin') {
    const b = r as unknown as BulletinResource;
    const rendered = renderRaiseBody(b, ctx, b.spec.occurrences![0]!);
    return { path: rendered.endpoint, body: rendered.body as unknown as Record<string, unknown> };
  }
  throw new Error(`no request for kind ${doc.kind}`);
}

describe('validate and the emulator refuse the same requests', () => {
  it('every rule validate can know offline has a tagged fixture', () => {
    const offline = (Object.entries(REQUEST_RULES) as [RequestRuleId, RequestRule][]).filter(([, rule]) => rule.offline !== null).map(([id]) => id);
    expect(offline.length).toBeGreaterThanOrEqual(10);
    for (const id of offline) expect(tagged.map((t) => t.rule), id).toContain(id);
  });

  it.each(tagged.map((t) => [t.name, t] as const))('%s', async (_name, t) => {
    const rule = REQUEST_RULES[t.rule] as RequestRule;
    const project = await validate(t.name, t.text);
    expect(project.diagnostics.map((d) => d.code)).toContain(rule.offline);

    const h = await emulator({ strict: true, inspection: true, clock: () => NOW });
    await control(h, 'POST', '/business-events', { names: ['Album Released'] });
    const { path: endpoint, body } = request(t.text);
    const answer = await post(h, endpoint, body);
    expect(answer.status).toBe(400);
    expect(answer.body.status).toBe('fail');
    const log = (await control(h, 'GET', '/requests')).body as { rule: string | null; unlisted: string[] }[];
    expect(log.at(-1)!.rule).toBe(t.rule);
  });
});
