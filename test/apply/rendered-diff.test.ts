/**
 * A campaign whose text comes from outside its spec (an email `body_file`, a partial) shows what a
 * change does to that text, not only a changed hash: apply records the request content it sent,
 * the next plan diffs the newly rendered content against it, trimmed to a few lines of context in
 * text, markdown and JSON. Rows applied before the content was recorded say so instead.
 */
import pc from 'picocolors';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderPlanJson } from '../../src/plan/plan-json.js';
import { renderPlanMarkdown } from '../../src/cli/views/plan-markdown.js';
import { renderPlanText } from '../../src/cli/views/plan-text.js';
import { applyOnce, EMAIL_CAMPAIGN_YAML, planOnly, useApplyFixture, type ApplyFixture } from './helpers.js';

const plain = pc.createColors(false);
let f: ApplyFixture;
useApplyFixture((fixture) => (f = fixture));

/** Forty lines of body, so a one-line edit in the middle shows as one trimmed hunk. */
function html(changed: string): string {
  const lines = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i + 1} of the weekly digest.</p>`);
  lines[19] = changed;
  return lines.join('\n') + '\n{{> footer}}\n';
}

function writeProject(body: string, footer: string): void {
  f.tp.write('campaigns/_partials/footer.hbs', footer);
  f.tp.write('campaigns/mail/body.html', body);
  f.tp.write('campaigns/mail/digest.yaml', EMAIL_CAMPAIGN_YAML);
}

beforeEach(async () => {
  writeProject(html('<p>Paragraph 20: the old news.</p>'), '<p>Questions? Write to us.</p>');
  const first = await applyOnce(f.tp, f.store, f.client);
  expect(first.result?.ok, JSON.stringify(first.planned.diagnostics)).toBe(true);
});

describe('rendered body diff of a campaign replace', () => {
  it('records the content it sent with the applied row', async () => {
    const row = await f.store.resources.get('campaign.digest');
    expect((row!.rendered!.content as { body: string }).body).toContain('<p>Paragraph 20: the old news.</p>');
    expect((await f.store.resources.listWithoutSpecs())[0]).not.toHaveProperty('rendered');
  });

  it('shows the changed lines of a body_file and a partial with a little context, in text, markdown and JSON', async () => {
    writeProject(html('<p>Paragraph 20: the new news.</p>'), '<p>Questions? Call us.</p>');
    const outcome = await planOnly(f.tp, f.store, f.client);
    const change = outcome.plan.changes.find((c) => c.address === 'campaign.digest')!;
    expect(change.action).toBe('replace');

    const text = renderPlanText(outcome.plan, plain);
    expect(text).toContain('--- content.body (as applied)');
    expect(text).toContain('+++ content.body (rendered now)');
    expect(text).toContain('-<p>Paragraph 20: the old news.</p>');
    expect(text).toContain('+<p>Paragraph 20: the new news.</p>');
    expect(text).toContain('-<p>Questions? Write to us.</p>');
    expect(text).toContain('+<p>Questions? Call us.</p>');
    // Context is trimmed: the neighbours of the edit are shown, the far paragraphs are not.
    expect(text).toContain(' <p>Paragraph 19 of the weekly digest.</p>');
    expect(text).not.toContain('Paragraph 5 of the weekly digest');
    // The subject did not change: no diff for it.
    expect(text).not.toContain('content.subject (as applied)');

    const md = renderPlanMarkdown(outcome.plan, outcome.meta);
    expect(md).toContain('--- content.body (as applied)\n+++ content.body (rendered now)\n@@ -17,7 +17,7 @@');
    expect(md).toContain('+<p>Paragraph 20: the new news.</p>');

    const json = JSON.parse(renderPlanJson(outcome.plan, outcome.meta)) as { changes: { address: string; rendered_diff?: { field: string; diff: { lines: unknown[]; more: number } }[] }[] };
    const rendered = json.changes.find((c) => c.address === 'campaign.digest')!.rendered_diff!;
    expect(rendered.map((r) => r.field)).toEqual(['content.body']);
    expect(rendered[0]!.diff.lines).toContainEqual({ sign: '+', text: '<p>Paragraph 20: the new news.</p>' });
  });

  it('caps a long rendered diff with the number of lines left out', async () => {
    writeProject(Array.from({ length: 90 }, (_, i) => `<p>Rewritten paragraph ${i + 1}.</p>`).join('\n'), '<p>Questions? Write to us.</p>');
    const outcome = await planOnly(f.tp, f.store, f.client);
    const text = renderPlanText(outcome.plan, plain);
    expect(text).toMatch(/\.\.\. \d+ more lines/);
    expect(text).not.toContain('Rewritten paragraph 90.');
  });

  it('says so when the applied row predates the recorded content', async () => {
    const { rendered, ...older } = (await f.store.resources.get('campaign.digest'))!;
    expect(rendered).toBeDefined();
    await f.store.resources.put(older);
    writeProject(html('<p>Paragraph 20: the new news.</p>'), '<p>Questions? Write to us.</p>');
    const outcome = await planOnly(f.tp, f.store, f.client);
    const text = renderPlanText(outcome.plan, plain);
    expect(text).toContain('(content: the rendered text as applied is not in state');
    expect(text).not.toContain('--- content.body');
  });
});
