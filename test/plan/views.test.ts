/**
 * The three plan views against golden files, plus what goldens can not show: colour, the
 * markdown marker and truncation.
 */
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderPlanJson, planToJson } from '../../src/plan/plan-json.js';
import { MARKDOWN_LIMIT, renderPlanMarkdown } from '../../src/cli/views/plan-markdown.js';
import { renderPlanText } from '../../src/cli/views/plan-text.js';
import { finalizePlan } from '../../src/plan/finalize.js';
import { plan } from '../../src/plan/plan.js';
import { applied, bulletin, campaign, desired, inMinutes, input } from './builders.js';
import { expectGolden } from './golden.js';
import { META, showcase } from './showcase.js';

const plain = pc.createColors(false);
const colored = pc.createColors(true);

describe('plan views: golden files', () => {
  it('the showcase covers every action', () => {
    const { plan: p, diagnostics } = showcase();
    expect(diagnostics).toEqual([]);
    expect(new Set(p.changes.map((c) => c.action))).toEqual(new Set(['create', 'replace', 'update', 'stop', 'forget', 'send']));
    expect(p.drift).toHaveLength(1);
    expect(p.scheduled).toHaveLength(1);
    expect(p.notes).toHaveLength(1);
  });

  it('text', () => {
    expectGolden('showcase.txt', renderPlanText(showcase().plan, plain, { environment: 'production' }));
  });

  it('markdown', () => {
    expectGolden('showcase.md', renderPlanMarkdown(showcase().plan, META));
  });

  it('json', () => {
    expectGolden('showcase.json', renderPlanJson(showcase().plan, META));
  });

  it('no changes', () => {
    const d = campaign('same');
    const p = finalizePlan(plan(input({ desired: [d], applied: [applied(d, { remoteId: 1 })] })).plan, new Map()).plan;
    expectGolden('no-changes.txt', renderPlanText(p, plain));
    expectGolden('no-changes.md', renderPlanMarkdown(p, { ...META, environment: 'sandbox', sandbox: true }));
  });
});

describe('text view', () => {
  it('colours each action with its own colour, and only when asked', () => {
    const { plan: p } = showcase();
    const text = renderPlanText(p, colored);
    const lineOf = (address: string) => text.split('\n').find((l) => l.includes(address) && !l.trimStart().startsWith('?'))!;
    expect(lineOf('campaign.summer-preview')).toContain(colored.green('  +'));
    expect(lineOf('campaign.retired-promo')).toContain(colored.red('  -'));
    expect(lineOf('campaign.spring-sale')).toContain(colored.yellow('-/+'));
    expect(lineOf('bulletin.album-released#nova-launch')).toContain(colored.magenta('  !'));
    // eslint-disable-next-line no-control-regex -- ESC starts every colour code this checks is absent
    expect(renderPlanText(p, plain)).not.toMatch(/\x1b\[/);
  });

  it('says when the environment is the sandbox', () => {
    const text = renderPlanText(showcase().plan, plain, { environment: 'sandbox', sandbox: true });
    expect(text.split('\n')[0]).toBe('Plan for environment sandbox (sandbox: the local CleverTap emulator, nothing reaches a real account)');
  });

  it('spells out a new bulletin occurrence field by field: a key or a name is never cut, a long value ends in an ellipsis', () => {
    const longName = 'Nova: the new album, out everywhere today, with a tour across forty cities announced for the spring';
    const launch = { key: 'nova-launch', at: inMinutes(7 * 24 * 60), name: 'Nova: new album' };
    const before = bulletin('album-released', [launch]);
    const after = bulletin('album-released', [launch, { key: 'nova-tour', at: inMinutes(14 * 24 * 60), name: longName, properties: { artist: 'Nova', city: 'Lisbon' } }]);
    const p = finalizePlan(plan(input({ desired: [after], applied: [applied(before)] })).plan, new Map()).plan;
    for (const view of [renderPlanText(p, plain), renderPlanMarkdown(p, META)]) {
      expect(view).toContain('+ occurrences[1].key: "nova-tour"');
      expect(view).toContain('+ occurrences[1].properties.artist: "Nova"');
      expect(view).toContain('+ occurrences[1].properties.city: "Lisbon"');
      expect(view).not.toContain('...');
    }
    // Text lines stay short: the value is cut at its end; markdown has room for all of it.
    const textName = renderPlanText(p, plain).split('\n').find((l) => l.includes('occurrences[1].name: '))!;
    expect(textName).toMatch(/^ +\+ occurrences\[1\]\.name: "Nova: the new album, out everywhere today,[^"]*…"$/);
    expect(textName.length).toBeLessThan(120);
    expect(renderPlanMarkdown(p, META)).toContain(`+ occurrences[1].name: ${JSON.stringify(longName)}`);
  });

  it('marks irreversible changes with their estimate', () => {
    const text = renderPlanText(showcase().plan, plain);
    const flash = text.split('\n').find((l) => l.includes('campaign.flash-sale'))!;
    expect(flash).toContain('IRREVERSIBLE about 1.2M users (android 800K, ios 434.6K)');
    const send = text.split('\n').find((l) => l.includes('#nova-launch'))!;
    expect(send).toContain('IRREVERSIBLE audience not estimated');
  });
});

describe('json view', () => {
  it('has the documented top-level fields and change fields', () => {
    const j = planToJson(showcase().plan, META);
    expect(Object.keys(j)).toEqual(
      expect.arrayContaining(['format_version', 'environment', 'serial', 'config_hash', 'commit', 'changes', 'drift', 'warnings', 'summary']),
    );
    expect(j.format_version).toBe('2');
    for (const c of j.changes) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['address', 'action', 'reason', 'irreversible', 'estimate', 'before', 'after', 'diff']));
    }
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});

describe('markdown view', () => {
  it('starts with the marker comment for its environment and puts the summary and the loud line first', () => {
    const md = renderPlanMarkdown(showcase().plan, META);
    const lines = md.split('\n');
    expect(lines[0]).toBe('<!-- campaignctl-plan:production -->');
    const summaryAt = md.indexOf('**Plan: ');
    const loudAt = md.indexOf('Irreversible: applying this plan messages');
    const firstDetails = md.indexOf('<details>');
    expect(summaryAt).toBeGreaterThan(0);
    expect(loudAt).toBeGreaterThan(summaryAt);
    expect(firstDetails).toBeGreaterThan(loudAt);
  });

  it('shows refusals above everything else', () => {
    const { plan: p } = showcase();
    const md = renderPlanMarkdown(p, META, [{ severity: 'error', code: 'plan.max-audience', message: 'campaign.x would reach <too many>', file: 'campaigns/x.yaml', line: 3, column: 5 }]);
    expect(md.indexOf('This plan is refused')).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain('`campaigns/x.yaml:3:5` campaign.x would reach &lt;too many&gt;');
  });

  it('truncates the middle past 60,000 characters, keeping head, tail and whole blocks', () => {
    const desired = Array.from({ length: 400 }, (_, i) =>
      campaign(`bulk-${String(i).padStart(3, '0')}`, { content: { title: `Title ${i}`, body: 'x'.repeat(300) } }),
    );
    const p = finalizePlan(plan(input({ desired })).plan, new Map(), { noEstimate: true }).plan;
    const md = renderPlanMarkdown(p, META);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md.startsWith('<!-- campaignctl-plan:production -->')).toBe(true);
    expect(md).toContain('**Plan: 400 to create**');
    expect(md).toMatch(/\*\*\d+ blocks of plan details \([\d,]+ characters\) truncated here\*\*/);
    expect(md).toContain('campaign.bulk-000');
    expect(md).toContain('campaign.bulk-399');
    expect(md).not.toContain('campaign.bulk-200');
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
    expect(md.trimEnd().endsWith('</sub>')).toBe(true);
  });

  it('does not truncate a plan that fits', () => {
    const md = renderPlanMarkdown(showcase().plan, META);
    expect(md).not.toContain('truncated here');
  });
});

describe('schedule fire times in the views', () => {
  // NOW is 2025-03-01 12:00Z; New York moves to summer time on 2025-03-09
  const before = desired('Schedule', 'digest', { cron: '0 9 * * 1', timezone: 'Europe/Paris' });
  const moved = desired('Schedule', 'digest', { cron: '30 2 * * SUN', timezone: 'America/New_York' });
  const updated = () => finalizePlan(plan(input({ desired: [moved], applied: [applied(before)] })).plan, new Map()).plan;

  it('text: a changed schedule shows its fires before and after, local with the offset beside UTC', () => {
    const text = renderPlanText(updated(), plain);
    expect(text).toContain(
      [
        '        next fires before this change, in Europe/Paris:',
        '          Mon 2025-03-03 09:00 +01:00  2025-03-03T08:00:00Z',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '        next fires after it, in America/New_York:',
        '          Sun 2025-03-02 02:30 -05:00  2025-03-02T07:30:00Z',
        '          Sun 2025-03-09 03:00 -04:00  2025-03-09T07:00:00Z',
      ].join('\n'),
    );
  });

  it('the same instants in two zones read as each zone shows them', () => {
    // 08:00Z every Monday is 09:00 in Paris and 03:00 in New York: a line is made per zone, not per instant.
    const paris = desired('Schedule', 'paris', { cron: '0 9 * * 1', timezone: 'Europe/Paris' });
    const newYork = desired('Schedule', 'new-york', { cron: '0 3 * * 1', timezone: 'America/New_York' });
    const text = renderPlanText(finalizePlan(plan(input({ desired: [paris, newYork] })).plan, new Map()).plan, plain);
    expect(text).toContain('next fires, in Europe/Paris:\n          Mon 2025-03-03 09:00 +01:00  2025-03-03T08:00:00Z');
    expect(text).toContain('next fires, in America/New_York:\n          Mon 2025-03-03 03:00 -05:00  2025-03-03T08:00:00Z');
  });

  it('markdown and json carry the same fires', () => {
    const p = updated();
    const md = renderPlanMarkdown(p, META);
    expect(md).toContain('**next fires after it, in America/New_York**\n- Sun 2025-03-02 02:30 -05:00  2025-03-02T07:30:00Z');
    expect(md).toContain('**next fires before this change, in Europe/Paris**\n- Mon 2025-03-03 09:00 +01:00  2025-03-03T08:00:00Z');
    const [change] = planToJson(p, META).changes;
    expect(change!.next_fire_times?.slice(0, 2)).toEqual(['2025-03-02T07:30:00.000Z', '2025-03-09T07:00:00.000Z']);
    expect(change!.next_fire_times_before?.[0]).toBe('2025-03-03T08:00:00.000Z');
  });

  it('an update that leaves the fires alone says so once', () => {
    const renamed = desired('Schedule', 'digest', { cron: '0 9 * * 1', timezone: 'Europe/Paris', overlap: 'allow' });
    const p = plan(input({ desired: [renamed], applied: [applied(before)] })).plan;
    const text = renderPlanText(p, plain);
    expect(text).toContain('next fires (unchanged), in Europe/Paris:');
    expect(text).not.toContain('before this change');
  });
});
