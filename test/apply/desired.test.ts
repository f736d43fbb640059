/**
 * What the spec hash covers: the spec as written plus what its templates read from outside the
 * file (vars, partials, an email body_file), and nothing that moves by itself from day to day.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { INPUTS_KEY, prepareDesired } from '../../src/apply/desired.js';
import { EMAIL_CAMPAIGN_YAML, load, TempProject } from './helpers.js';

const temps: TempProject[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.dispose();
});

function emailProject(opts: { vars?: Record<string, string>; footer?: string; html?: string } = {}): TempProject {
  const tp = new TempProject({ vars: opts.vars ?? { appName: 'Streamly', support: 'help@x.example' } });
  temps.push(tp);
  tp.write('campaigns/_partials/footer.hbs', opts.footer ?? '<p>Questions? {{vars.support}}</p>');
  tp.write('campaigns/mail/body.html', opts.html ?? '<h1>{{vars.appName}}</h1>{{> footer}}');
  tp.write('campaigns/mail/digest.yaml', EMAIL_CAMPAIGN_YAML);
  return tp;
}

async function digest(tp: TempProject) {
  const d = prepareDesired(await load(tp)).byAddress.get('campaign.digest')!.desired;
  return { hash: d.specHash, inputs: (d.canonicalSpec as Record<string, unknown>)[INPUTS_KEY] as Record<string, Record<string, unknown>> };
}

describe('desired spec hash', () => {
  it('records the vars, partials and body file a campaign reads', async () => {
    const { inputs } = await digest(emailProject());
    expect(inputs.vars).toEqual({ appName: 'Streamly', support: 'help@x.example' });
    expect(Object.keys(inputs.partials!)).toEqual(['footer']);
    expect(Object.keys(inputs.files!)).toEqual(['campaigns/mail/body.html']);
  });

  it('moves with a used var, a partial or the body file; not with an unused var', async () => {
    const base = (await digest(emailProject())).hash;
    expect((await digest(emailProject({ vars: { appName: 'Streamly', support: 'help@x.example', unused: 'x' } }))).hash).toBe(base);
    expect((await digest(emailProject({ vars: { appName: 'Streamly', support: 'other@x.example' } }))).hash).not.toBe(base);
    expect((await digest(emailProject({ footer: '<p>Bye {{vars.support}}</p>' }))).hash).not.toBe(base);
    expect((await digest(emailProject({ html: '<h2>{{vars.appName}}</h2>{{> footer}}' }))).hash).not.toBe(base);
  });

  it('a campaign without templates has no $inputs and hashes its spec only', async () => {
    const tp = new TempProject();
    temps.push(tp);
    tp.campaign({ name: 'plain' });
    tp.write('campaigns/plain.yaml', readFileSync(`${tp.root}/campaigns/plain.yaml`, 'utf8').replace('Hello from {{vars.appName}}', 'Hello'));
    const d = prepareDesired(await load(tp)).byAddress.get('campaign.plain')!.desired;
    expect(INPUTS_KEY in (d.canonicalSpec as object)).toBe(false);
    expect(d.startsAt).toEqual({ kind: 'at', instant: '2031-06-01T09:00:00.000Z' });
  });
});
