/**
 * A project for the cache and worker-pool tests: the `basic` fixture project plus every resource
 * file of the invalid corpus (YAML errors, schema errors, rule problems, guards: located
 * diagnostics of every kind), plus `extra` generated valid campaigns.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import type { Project } from '../../src/config/project.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

export const NOW = new Date('2026-06-15T12:00:00Z');

export function fixtureProject(parent: string, extra = 0): string {
  const root = mkdtempSync(path.join(parent, 'p-'));
  // Not .campaignctl/: CLI tests that run on the fixture in place leave their own cache there.
  cpSync(path.join(FIXTURES, 'projects', 'basic'), root, { recursive: true, filter: (src) => !src.includes(`${path.sep}.campaignctl`) });
  const invalid = path.join(root, 'campaigns', 'invalid');
  mkdirSync(invalid);
  for (const name of readdirSync(path.join(FIXTURES, 'invalid'))) {
    if (!/\.ya?ml$/.test(name) || name.endsWith('.config.yaml')) continue;
    const text = readFileSync(path.join(FIXTURES, 'invalid', name), 'utf8');
    const pad = /^# pad-bytes: (\d+)\s*$/m.exec(text);
    writeFileSync(path.join(invalid, name), pad ? text + '#' + 'x'.repeat(Number(pad[1])) + '\n' : text);
  }
  if (extra > 0) {
    const dir = path.join(root, 'campaigns', 'generated');
    mkdirSync(dir);
    for (let i = 0; i < extra; i++) writeFileSync(path.join(dir, `c${String(i).padStart(4, '0')}.yaml`), campaign(i));
  }
  return root;
}

function campaign(i: number): string {
  return `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: generated-${i}
  labels: { team: t${i % 3} }
spec:
  target_mode: sms
  where:
    event_name: Charged
    from: { daysAgo: ${1 + (i % 30)} }
    to: { daysAgo: 0 }
  content:
    body: "Hello {{ Profile.name | default: 'you' }}${i % 2 ? ', from {{vars.shopName}}' : ''}"
  when: "2027-0${1 + (i % 9)}-1${i % 10} 09:${String(i % 60).padStart(2, '0')}"
`;
}

/** What a load must reproduce exactly: resources, diagnostics, files, and where every node is. */
export function observable(p: Project) {
  const paths: (string | number)[][] = [[], ['spec'], ['metadata', 'name'], ['spec', 'where', 'from'], ['spec', 'content', 'body'], ['spec', 'nope', 0]];
  return {
    config: p.config,
    environment: p.environmentName,
    resources: p.resources(),
    diagnostics: p.diagnostics,
    files: p.files,
    partials: p.partials,
    located: p.resources().map((r) => paths.map((x) => p.locate(r.address, x))),
  };
}

/**
 * Runs `fn` with Date.now() moved `ms` ahead (timers and I/O untouched): where the stat stamps'
 * two-second racy window would otherwise make a test wait.
 */
export async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}
