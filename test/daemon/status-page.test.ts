/**
 * The status page renderer on its own: a pure function from DaemonStatus to one HTML document.
 * The page is read back the way a person would read it (a table's rows as cell texts, entities
 * decoded), so an assertion fails when a value is missing, misplaced or not escaped. The same page
 * in a real browser, served by a running daemon: ./status-page.browser.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { renderStatusPage } from '../../src/daemon/http/status-page.js';
import { MAX_TABLE_ROWS } from '../../src/daemon/http/page/tables.js';
import { escapeHtml, html, raw } from '../../src/daemon/http/page/html.js';
import { NOW, status } from './status-fixture.js';

/** The text a reader sees: the head left out, a space where cells, terms and lines end. */
function decode(text: string): string {
  return text
    .replace(/<head>[\s\S]*<\/head>/, '')
    .replace(/<br>|<\/(dt|dd|li|th|td|h1|h2|p)>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The body rows of the table with this id, each as its cells' texts. */
function rows(page: string, id: string): string[][] {
  const table = page.match(new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`))?.[1];
  if (table === undefined) throw new Error(`no table #${id} on the page`);
  const body = table.match(/<tbody>([\s\S]*)<\/tbody>/)![1]!;
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!)));
}

function headers(page: string, id: string): string[] {
  const head = page.match(new RegExp(`<table id="${id}">[\\s\\S]*?<thead>([\\s\\S]*?)</thead>`))![1]!;
  return [...head.matchAll(/<th scope="col">([\s\S]*?)<\/th>/g)].map((m) => decode(m[1]!));
}

function byId(page: string, id: string): string {
  const m = page.match(new RegExp(`<(\\w+)[^>]* id="${id}"[^>]*>([\\s\\S]*?)</\\1>`));
  if (!m) throw new Error(`no #${id} on the page`);
  return decode(m[2]!);
}

describe('the status page document', () => {
  const page = renderStatusPage(status(), { now: NOW });

  it('is one complete HTML document in English with a title that says the environment and readiness', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
    expect(page).toContain('<title>campaignctl watch: production (ready)</title>');
    expect(page).toContain('<meta charset="utf-8">');
  });

  it('reloads itself with a meta refresh, 10 s unless told otherwise', () => {
    expect(page).toContain('<meta http-equiv="refresh" content="10">');
    expect(renderStatusPage(status(), { refreshSeconds: 3 })).toContain('<meta http-equiv="refresh" content="3">');
  });

  it('needs no script and loads nothing from elsewhere; its policy forbids both', () => {
    expect(page).not.toMatch(/<script|<link|<img|<iframe|src=/i);
    expect(page).not.toMatch(/https?:\/\/(?!github\.com\/acme)/);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it('gives every table a caption and column headers', () => {
    const tables = page.match(/<table[\s\S]*?<\/table>/g)!;
    expect(tables).toHaveLength(4);
    for (const t of tables) {
      expect(t).toMatch(/<caption>[^<]+/);
      expect(t).toMatch(/<thead><tr>(<th scope="col">[^<]+<\/th>)+<\/tr><\/thead>/);
    }
  });
});

describe('what the status page shows', () => {
  const page = renderStatusPage(status(), { now: NOW });

  it('health: ready, environment, replica and that this replica leads, auto-apply off', () => {
    expect(byId(page, 'readiness')).toBe('Ready');
    expect(byId(page, 'environment')).toBe('production');
    expect(decode(page)).toContain('Replica campaignctl-watch-7d9f8c6b5-x2lkq:41 Leader this replica (watch --auto-apply, pid 1 on campaignctl-watch-7d9f8c6b5-x2lkq, epoch 3, since');
    expect(decode(page)).toContain('Auto-apply off: the daemon plans only');
  });

  it('health: another replica leads (its id, command, host and pid); none leads between two leaders', () => {
    const follower = renderStatusPage(status({ replica: 'replica-b' }), { now: NOW });
    expect(byId(follower, 'leader')).toBe('campaignctl-watch-7d9f8c6b5-x2lkq:41');
    expect(decode(follower)).toContain('(watch --auto-apply, pid 1 on campaignctl-watch-7d9f8c6b5-x2lkq, epoch 3');
    const none = renderStatusPage(status({ leader: null }), { now: NOW });
    expect(decode(none)).toContain('Leader none holds the lease: a replica takes it within one lease and one poll');
  });

  it('not ready: the badge, the title and every reason', () => {
    const p = renderStatusPage(status({ ready: false, readiness: ['draining: SIGTERM received', 'last fetch is older than 3 intervals (3 min)'] }));
    expect(byId(p, 'readiness')).toBe('Not ready');
    expect(p).toContain('<title>campaignctl watch: production (not ready)</title>');
    expect(byId(p, 'not-ready-reasons')).toBe('draining: SIGTERM received last fetch is older than 3 intervals (3 min)');
  });

  it('source: git mode with remote, branch and last fetch (UTC and age); a fetch error is shown', () => {
    const text = decode(page);
    expect(text).toContain('Remote https://github.com/acme/campaigns.git Branch main Last fetch 2026-12-05 07:59:41 UTC (19 s ago)');
    const failing = renderStatusPage(status({ source: { ...status().source, lastFetchError: 'fatal: could not read from remote repository' } }));
    expect(decode(failing)).toContain('failed: fatal: could not read from remote repository');
  });

  it('local mode says so and shows no remote', () => {
    const p = decode(renderStatusPage(status({ source: { mode: 'local', remote: null, branch: null, lastFetchAt: null, lastFetchError: null } })));
    expect(p).toContain('Source local: the project folder, watched');
    expect(p).not.toContain('Remote');
  });

  it('commits: short ids with the full one in the title; a last attempt that is not the applied commit is flagged', () => {
    expect(page).toContain('<code title="3f9c2a71be04d8e6a1c5f0b2d7e9a4c6b8d1e3f5">3f9c2a71be04</code>');
    expect(page).not.toContain('not applied</span>');
    const p = renderStatusPage(status({ lastAttemptedCommit: 'aaaabbbbccccdddd' }));
    expect(decode(p)).toContain('Last attempted aaaabbbbcccc not applied');
  });

  it('the last reconcile: result, time, duration, why it ran and its error', () => {
    expect(byId(page, 'last-reconcile')).toBe(
      'Result planned planned: changes are pending At 2026-12-05 07:59:41 UTC (18 s ago), took 413 ms Why it ran poll Commit 3f9c2a71be04',
    );
    const refused = renderStatusPage(status({ lastReconcile: { ...status().lastReconcile!, result: 'refused', error: 'campaign.flash-sale-now: audience 80,000 is over guard.maxAudience 50,000' } }));
    expect(byId(refused, 'reconcile-error')).toBe('campaign.flash-sale-now: audience 80,000 is over guard.maxAudience 50,000');
    expect(byId(renderStatusPage(status({ lastReconcile: null })), 'last-reconcile')).toBe('None yet: the first runs at start.');
  });

  it('the pending plan as a table: action, why (with the changed fields), estimate, start or next fires; irreversible flagged', () => {
    expect(headers(page, 'pending-changes')).toEqual(['Resource', 'Action', 'Why', 'Audience estimate', 'Starts / next fires']);
    expect(rows(page, 'pending-changes')).toEqual([
      ['schedule.weekly-digest', 'update', 'spec-changed: $inputs.vars.appName', 'not-applicable', '2026-12-07 08:00:00 UTC (in 2 d) 2026-12-14 08:00:00 UTC (in 9 d)'],
      ['campaign.new-season-night-shift', 'replace', 'spec-changed: $inputs.vars.appName', '41,672', '2027-03-01 17:00:00 UTC (in 86 d)'],
      ['campaign.flash-sale-now', 'create irreversible', 'new', '80,000', 'now'],
    ]);
    expect(page).toContain('<caption>3 pending changes</caption>');
    expect(decode(page)).toContain('apply these with campaignctl apply. 1 irreversible (makes CleverTap send).');
  });

  it('an empty plan says the account is in step', () => {
    const p = renderStatusPage(status({ pending: [] }));
    expect(byId(p, 'plan-in-step')).toBe('In step: the last plan found no changes.');
    expect(p).not.toContain('id="pending-changes"');
  });

  it('the schedules table from `schedules --json`: cron and zone, next fires, last run, counts, unknown ticks', () => {
    expect(headers(page, 'schedules')).toEqual(['Schedule', 'Cron (zone)', 'Next fires', 'Last run', 'Runs']);
    expect(rows(page, 'schedules')).toEqual([
      [
        'schedule.weekly-digest',
        '0 9 * * MON (Europe/Berlin)',
        '2026-12-07 08:00:00 UTC (in 2 d) 2026-12-14 08:00:00 UTC (in 9 d) 2026-12-21 08:00:00 UTC (in 16 d)',
        '2026-11-30 08:00:00 UTC (5 d ago) done campaign 1796457301, sent 1180, clicked 96',
        'done 4, missed 1',
      ],
      [
        'schedule.daily-reminder disabled',
        '30 18 * * * (America/New_York)',
        'none',
        '2026-12-04 23:30:00 UTC (9 h ago) unknown',
        'done 2, failed 1, unknown 1 unknown: 2026-12-04T23:30:00Z: may have been sent, never resent; settle with campaignctl state resolve',
      ],
    ]);
  });

  it('reads the schedules as camelCase listings (the operation\'s own) the same way', () => {
    const listing = [{ address: 'schedule.a', cron: '0 * * * *', timezone: 'UTC', enabled: true, nextFireTimes: ['2026-12-05T09:00:00Z'], lastRun: null, counts: { done: 0 }, unknownFireTimes: [] }];
    expect(rows(renderStatusPage(status({ schedules: listing }), { now: NOW }), 'schedules')).toEqual([
      ['schedule.a', '0 * * * * (UTC)', '2026-12-05 09:00:00 UTC (in 60 min)', 'never ran', 'none'],
    ]);
    expect(byId(renderStatusPage(status({ schedules: { format_version: '1', schedules: [] } })), 'no-schedules')).toBe('No Schedule is applied.');
  });

  it('the outbox counts, one row per status in the order an item moves, named as GET /v1/sends names them', () => {
    expect(rows(page, 'outbox').map((r) => r.slice(0, 2))).toEqual([
      ['queued (pending)', '12'],
      ['sending', '3'],
      ['sent (done)', '4810'],
      ['failed', '2'],
      ['unknown', '1'],
    ]);
  });

  it('recent errors, in the order given (newest first), or a line saying there are none', () => {
    expect(rows(page, 'errors')).toEqual([
      ['2026-12-05 07:58:10 UTC (2 min ago)', 'outbox', 'message.order-shipped: CleverTap answered 400 (invalid identity) for 1 of 1000 identities'],
      ['2026-12-05 07:40:00 UTC (20 min ago)', 'fetch', 'git fetch timed out after 30 s'],
    ]);
    expect(byId(renderStatusPage(status({ errors: [] })), 'no-errors')).toBe('None since the daemon started.');
  });

  it('without `now`, times are shown without an age', () => {
    const p = renderStatusPage(status());
    expect(p).not.toMatch(/ ago\)| \(in /);
    expect(decode(p)).toContain('Started 2026-12-05 07:12:03 UTC');
  });

  it('a plan or schedule list past the row cap shows the first rows, the full count and where the rest are', () => {
    const pending = Array.from({ length: 3000 }, (_, i) => ({ address: `campaign.c-${i}`, kind: 'Campaign', action: 'create', reason: 'new', irreversible: i === 2999, estimate: null }));
    const listing = Array.from({ length: 2955 }, (_, i) => ({ address: `schedule.s-${i}`, cron: '0 9 * * *', timezone: 'UTC', enabled: true, next_fire_times: [], last_run: null, counts: {}, unknown_fire_times: [] }));
    const p = renderStatusPage(status({ pending, schedules: { schedules: listing } }), { now: NOW });
    expect(rows(p, 'pending-changes')).toHaveLength(MAX_TABLE_ROWS);
    expect(p).toContain('<caption>3000 pending changes</caption>');
    expect(decode(p)).toContain('1 irreversible');
    expect(byId(p, 'pending-more')).toBe(`Showing the first ${MAX_TABLE_ROWS} of 3000 changes; all of them are in /v1/status.`);
    expect(rows(p, 'schedules')).toHaveLength(MAX_TABLE_ROWS);
    expect(byId(p, 'schedules-more')).toBe(`Showing the first ${MAX_TABLE_ROWS} of 2955 Schedules; all of them are in /v1/status.`);
    expect(page).not.toContain('id="pending-more"');
  });

  it('odd shapes in pending or schedules draw dashes, never throw', () => {
    const p = renderStatusPage(status({ pending: [null, 42, { kind: 'Campaign' }], schedules: 'nonsense' }));
    expect(rows(p, 'pending-changes')).toEqual([['(no address)', '', '', '-', '-']]);
    expect(byId(p, 'no-schedules')).toBe('No Schedule is applied.');
  });
});

describe('escaping', () => {
  const evil = '<script>alert(1)</script>';
  const page = renderStatusPage(
    status({
      environment: `prod"><script>alert('env')</script>`,
      replica: '<b>r</b>',
      readiness: [`state store unreachable: ${evil}`],
      ready: false,
      pending: [{ address: `campaign.${evil}`, kind: 'Campaign', action: 'create', reason: 'new', irreversible: false, estimate: null, estimate_status: '<i>x</i>', diff: [{ path: 'spec.<img src=x onerror=alert(2)>' }] }],
      schedules: { schedules: [{ address: `schedule.${evil}`, cron: '<u>', timezone: '&amp;', enabled: true, next_fire_times: [], last_run: null, counts: {}, unknown_fire_times: [] }] },
      lastReconcile: { at: '2026-12-05T07:59:41.500Z', reason: 'file', result: 'failed', durationMs: 3, error: `campaigns/x.yaml:3: ${evil}`, commit: `"><script>` },
      errors: [{ at: '<now>', where: '<http>', message: `bad name ${evil} & "quotes" 'single'` }],
    }),
  );

  it('no value becomes markup: the page holds no script, image or injected element at all', () => {
    expect(page).not.toMatch(/<script|<img|<b>r|<i>x|<u>/i);
  });

  it('every value appears as the text it is', () => {
    expect(page).toContain('campaign.&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<title>campaignctl watch: prod&quot;&gt;&lt;script&gt;alert(&#39;env&#39;)&lt;/script&gt; (not ready)</title>');
    expect(rows(page, 'pending-changes')[0]).toEqual([`campaign.${evil}`, 'create', 'new: spec.<img src=x onerror=alert(2)>', '<i>x</i>', '-']);
    expect(rows(page, 'schedules')[0]!.slice(0, 2)).toEqual([`schedule.${evil}`, '<u> (&amp;)']);
    expect(rows(page, 'errors')[0]).toEqual(['<now>', '<http>', `bad name ${evil} & "quotes" 'single'`]);
    expect(byId(page, 'reconcile-error')).toBe(`campaigns/x.yaml:3: ${evil}`);
    expect(page).toContain('<code title="&quot;&gt;&lt;script&gt;">&quot;&gt;&lt;script&gt;</code>');
  });

  it('a remote with credentials shows none of them, user name included', () => {
    const p = renderStatusPage(status({ source: { ...status().source, remote: 'https://x-access-token:ghp_S3cretT0ken@github.com/acme/campaigns.git' } }));
    expect(p).not.toContain('ghp_S3cretT0ken');
    expect(p).not.toContain('x-access-token');
    expect(p).toContain('https://***@github.com/acme/campaigns.git');
    const tokenAsUser = renderStatusPage(status({ source: { ...status().source, remote: 'https://ghp_0nlyT0ken@github.com/acme/c.git' } }));
    expect(tokenAsUser).not.toContain('ghp_0nlyT0ken');
  });

  it('the template escapes interpolations once and keeps its own markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const inner = html`<em>${'<x>'}</em>`;
    expect(html`<p>${inner}${['a', '<b>', 3]}${null}${false}${raw('<hr>')}</p>`.text).toBe('<p><em>&lt;x&gt;</em>a&lt;b&gt;3<hr></p>');
  });
});
