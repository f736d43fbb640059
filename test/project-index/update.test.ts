/**
 * ProjectIndex.update, as the daemon feeds it file events: after each kind of change, the index
 * gives exactly the project (resources, diagnostics located, files, positions) a fresh index of the
 * same files gives, having re-read only the paths named and re-run the rules only on the resources
 * whose inputs moved. Real temp projects and files, in-process.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectIndex } from '../../src/project-index/project-index.js';
import { fixtureProject, NOW, observable } from '../config/cache-fixture.js';
import { smsCampaign as push } from './small-project.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-index-update-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const head = (root: string) => ({ root, resolve: { root, cwd: root, environ: {} }, threads: 1 });

async function fresh(root: string, now = NOW): Promise<ProjectIndex> {
  const index = new ProjectIndex(head(root));
  await index.refresh(now);
  return index;
}

const email = (name: string, bodyFile: string) => `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: ${name}
spec:
  target_mode: email
  where: { event_name: Charged, from: 20270101, to: 20270102 }
  content:
    subject: News
    sender_name: Shop
    body_file: ${bodyFile}
  when: "2027-06-01 09:00"
`;


/** The fixture project (every kind of located problem), generated campaigns, a partial caller and a body_file email. */
function project(): string {
  const root = fixtureProject(scratch, 12);
  mkdirSync(path.join(root, 'campaigns', '_bodies'));
  writeFileSync(path.join(root, 'campaigns', '_bodies', 'news.html'), '<h1>News from {{vars.shopName}}</h1>\n');
  writeFileSync(path.join(root, 'campaigns', 'mail.yaml'), email('mail', '_bodies/news.html'));
  writeFileSync(path.join(root, 'campaigns', 'footed.yaml'), push('footed', 'Hi {{> footer}}'));
  return root;
}

const write = (root: string, rel: string, text: string) => writeFileSync(path.join(root, rel), text);
const edit = (root: string, rel: string, from: string, to: string) => {
  const text = readFileSync(path.join(root, rel), 'utf8');
  expect(text).toContain(from);
  write(root, rel, text.replace(from, to));
};

/** Updates `index` with the paths and checks it against a fresh index; returns the update's report. */
async function updated(index: ProjectIndex, root: string, paths: string[], now = NOW) {
  const report = await index.update(paths, now);
  expect(observable(index.project())).toEqual(observable((await fresh(root, now)).project()));
  return report;
}

describe('ProjectIndex.update', () => {
  it('a one-file edit: that file is checked again and its resource re-ruled, nothing else', async () => {
    const root = project();
    const index = await fresh(root);
    const total = index.project().resources().length;
    edit(root, 'campaigns/generated/c0004.yaml', 'name: generated-4', 'name: generated-four');
    const report = await updated(index, root, ['campaigns/generated/c0004.yaml']);
    expect(report).toMatchObject({ read: 1, checked: 1, ruled: 1, unchanged: false });
    expect(total).toBeGreaterThan(20);
    expect(index.project().resources().some((r) => r.address === 'campaign.generated-four')).toBe(true);
  });

  it('a partial edit re-rules the resources that call it, and only them', async () => {
    const root = project();
    const index = await fresh(root);
    const callers = index.project().resources().filter((r) => /\{\{~?#?>\s*footer/.test(JSON.stringify(r.spec)));
    expect(callers.map((r) => r.address)).toContain('campaign.footed');
    write(root, 'campaigns/_partials/footer.hbs', 'Bye from {{vars.nope}}\n');
    const report = await updated(index, root, ['campaigns/_partials/footer.hbs']);
    expect(report).toMatchObject({ read: 0, ruled: callers.length, unchanged: false });
    expect(callers.length).toBeLessThan(index.project().resources().length / 4);
    expect(index.project().diagnostics.filter((d) => d.file === 'campaigns/footed.yaml').map((d) => d.code)).toContain('template.unknown-variable');
  });

  it('a `_` data file edit re-rules the email that reads it as its body', async () => {
    const root = project();
    const index = await fresh(root);
    expect(index.project().diagnostics.filter((d) => d.file === 'campaigns/_bodies/news.html')).toEqual([]);
    write(root, 'campaigns/_bodies/news.html', '<h1>News</h1>\n<p>{{vars.offer}}</p>\n');
    const report = await updated(index, root, ['campaigns/_bodies/news.html']);
    expect(report).toMatchObject({ read: 0, ruled: 1 });
    expect(index.project().diagnostics.filter((d) => d.file === 'campaigns/_bodies/news.html').map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['2:6 template.unknown-variable']);
  });

  it('a deleted file and a new file: the project loses and gains their resources', async () => {
    const root = project();
    const index = await fresh(root);
    rmSync(path.join(root, 'campaigns/generated/c0005.yaml'));
    const removed = await updated(index, root, ['campaigns/generated/c0005.yaml']);
    expect(removed).toMatchObject({ read: 0, ruled: 0, unchanged: false });
    expect(index.project().resources().some((r) => r.address === 'campaign.generated-5')).toBe(false);

    write(root, 'campaigns/generated/new.yaml', push('brand-new', 'Hello {{vars.shopName}}'));
    const added = await updated(index, root, ['campaigns/generated/new.yaml']);
    expect(added).toMatchObject({ read: 1, checked: 1, ruled: 1 });
    expect(index.project().resources().some((r) => r.address === 'campaign.brand-new')).toBe(true);

    // A duplicate address is a finding across resources: it comes and goes with the file.
    const twinned = () => index.project().diagnostics.some((d) => d.code === 'rule.duplicate-address' && d.message.includes('brand-new'));
    write(root, 'campaigns/generated/twin.yaml', push('brand-new', 'Twin'));
    await updated(index, root, ['campaigns/generated/twin.yaml']);
    expect(twinned()).toBe(true);
    rmSync(path.join(root, 'campaigns/generated/twin.yaml'));
    await updated(index, root, ['campaigns/generated/twin.yaml']);
    expect(twinned()).toBe(false);
  });

  it('concerns() names what a load reads: config, campaign files, partials, `_` data and body files; not docs or swap files', async () => {
    const index = await fresh(project());
    for (const p of ['campaignctl.yaml', 'campaigns/generated/c0004.yaml', 'campaigns/new/x.yml', 'campaigns/_partials/footer.hbs', 'campaigns/_bodies/news.html', 'campaigns/_data/any.json']) {
      expect(index.concerns(p), p).toBe(true);
    }
    for (const p of ['README.md', 'docs/guide.md', 'campaigns/notes.txt', 'campaigns/.c0004.yaml.swp', 'campaigns/generated/c0004.yaml~', 'campaigns/_bodies/.news.html.swp', 'campaigns/.hidden/x.yaml']) {
      expect(index.concerns(p), p).toBe(false);
    }
  });

  it('campaignctl.yaml: a var that moved re-rules every resource (each may read the environment)', async () => {
    const root = project();
    const index = await fresh(root);
    edit(root, 'campaignctl.yaml', 'shopName: ShopNest', 'shopName: ShopNext');
    const report = await updated(index, root, ['campaignctl.yaml']);
    expect(report.ruled).toBe(index.project().resources().length);
    expect(index.project().environment.vars).toEqual({ shopName: 'ShopNext' });
  });

  it('nothing changed: nothing read, nothing re-ruled; a finding whose time came is re-ruled alone', async () => {
    const root = project();
    write(root, 'campaigns/soon.yaml', push('soon', 'Hello', '2026-06-15 18:00'));
    const index = await fresh(root);
    expect(await index.update([], NOW)).toMatchObject({ read: 0, ruled: 0, unchanged: true });
    const evening = new Date('2026-06-15T17:00:00Z'); // 19:00 in Berlin: `when` has passed
    const report = await updated(index, root, [], evening);
    expect(report.ruled).toBeGreaterThanOrEqual(1);
    expect(report.ruled).toBeLessThan(index.project().resources().length);
    expect(index.project().diagnostics.filter((d) => d.file === 'campaigns/soon.yaml').map((d) => d.code)).toEqual(['rule.when-in-past']);
  });

  it('a daysAgo finding made in the account\'s last hour of the day stands until the next day begins, then is re-ruled', async () => {
    const root = project();
    const daysAgo = (name: string) => push(name, 'Hello').replace('to: 20270102', 'to: { daysAgo: 0 }');
    write(root, 'campaigns/relative.yaml', daysAgo('relative'));
    const lastHour = new Date('2026-06-15T21:30:00Z'); // 23:30 in Berlin
    const index = await fresh(root, lastHour);
    // Later in that hour: nothing re-ruled, though the finding's early re-check time (23:00) has passed.
    expect(await index.update([], new Date('2026-06-15T21:45:00Z'))).toMatchObject({ ruled: 0, unchanged: true });
    expect(await index.update([], new Date('2026-06-15T21:59:59Z'))).toMatchObject({ ruled: 0, unchanged: true });
    // 00:00 in Berlin: a new day, so `daysAgo: 0` means another date and the finding is made again.
    const report = await updated(index, root, [], new Date('2026-06-15T22:00:00Z'));
    expect(report.ruled).toBeGreaterThanOrEqual(1);
    expect(report.ruled).toBeLessThan(index.project().resources().length);
  });
});
