/**
 * The template rule through the real loader: a temp project with environment vars and partials.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadProject } from '../../src/project-index/load.js';

const root = mkdtempSync(path.join(tmpdir(), 'campaignctl-template-rule-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

write(
  'campaignctl.yaml',
  `environments:
  sandbox:
    provider: sandbox
    accountTimezone: Europe/Berlin
    vars:
      appName: Streamly
      links: { home: "https://s.example" }
`,
);
write('campaigns/_partials/footer.hbs', '<p>{{vars.appName}} {{vars.links.home}}</p>');
write('campaigns/_partials/leaky.hbs', '<p>{{data.orderId}}</p>');
write(
  'campaigns/all.yaml',
  `apiVersion: campaignctl/v1
kind: Campaign
metadata: { name: good }
spec:
  target_mode: email
  where: {}
  content:
    subject: "{{vars.appName}} news"
    sender_name: "{{vars.appName}}"
    body: |
      <h1>{{ Profile.name | default: "there" }}</h1>
      {{> footer}}
  when: now
---
apiVersion: campaignctl/v1
kind: Campaign
metadata: { name: bad }
spec:
  target_mode: email
  where: {}
  content:
    subject: "{{vars.appname}} news"
    sender_name: Streamly
    body: |
      <h1>Hi</h1>
      {{> leaky}}
  when: now
---
apiVersion: campaignctl/v1
kind: Message
metadata: { name: open-data }
spec:
  target_mode: sms
  data: { type: object, additionalProperties: true }
  content:
    body: "{{data.anything.at.all}} {{vars.links.home}}"
---
apiVersion: campaignctl/v1
kind: Schedule
metadata: { name: digest }
spec:
  cron: "0 9 * * MON"
  timezone: Europe/Berlin
  trigger:
    name: upgraded
    to: { email: [a@example.com] }
    data:
      week: "{{schedule.date}} {{schedule.weekday}}"
      bad: "{{schedule.dat}}"
---
apiVersion: campaignctl/v1
kind: ExternalTrigger
metadata: { name: upgraded }
spec:
  campaign_id: 1695721550
`,
);

describe('templateRule via loadProject', async () => {
  const project = await loadProject({ dir: root, now: new Date('2026-06-15T12:00:00Z'), environ: {} });
  const templateDiagnostics = project.diagnostics.filter((d) => d.code.startsWith('template.') || d.code.startsWith('liquid.'));

  test('vars from the environment, partials, data wildcards and schedule.* are known', () => {
    expect(templateDiagnostics.filter((d) => d.address === 'campaign.good' || d.address === 'message.open-data')).toEqual([]);
  });

  test('each unknown variable is located in its string, naming what is available', () => {
    expect(templateDiagnostics.map((d) => `${d.address} ${d.code} ${d.line}:${d.column}`)).toEqual([
      'campaign.bad template.unknown-variable 22:17',
      'campaign.bad template.unknown-variable 26:7',
      'schedule.digest template.unknown-variable 49:15',
    ]);
    const [typo, partial, schedule] = templateDiagnostics;
    expect(typo.hint).toBe('did you mean `vars.appName`? available: `vars.appName`, `vars.links.home`');
    expect(partial.message).toBe('in partial `leaky` (line 1, column 6): unknown template variable `data.orderId`');
    expect(schedule.hint).toContain('did you mean `schedule.date`?');
    expect(schedule.hint).toContain('`schedule.weekday`');
    for (const d of templateDiagnostics) expect(d.file).toBe('campaigns/all.yaml');
  });
});
