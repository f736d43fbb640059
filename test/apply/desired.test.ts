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

  it('a campaign without templates or zone-read times has no $inputs and hashes its spec only', async () => {
    const tp = new TempProject();
    temps.push(tp);
    tp.campaign({ name: 'plain', when: '2031-06-01 09:00' });
    const yaml = readFileSync(`${tp.root}/campaigns/plain.yaml`, 'utf8')
      .replace('Hello from {{vars.appName}}', 'Hello')
      .replace('{ daysAgo: 30 }', '20260101')
      .replace('{ daysAgo: 0 }', '20260102');
    tp.write('campaigns/plain.yaml', yaml);
    const d = prepareDesired(await load(tp)).byAddress.get('campaign.plain')!.desired;
    expect(INPUTS_KEY in (d.canonicalSpec as object)).toBe(false);
    expect(d.startsAt).toEqual({ kind: 'at', instant: '2031-06-01T09:00:00.000Z' });
  });

  it('takes the account zone when the body depends on it: an ISO `when`, a `{daysAgo}` date, the `date` helper', async () => {
    const zoneOf = async (edit: (yaml: string) => string) => {
      const tp = new TempProject();
      temps.push(tp);
      tp.campaign({ name: 'zoned', when: '2031-06-01 09:00' });
      tp.write('campaigns/zoned.yaml', edit(readFileSync(`${tp.root}/campaigns/zoned.yaml`, 'utf8').replace('{ daysAgo: 30 }', '20260101').replace('{ daysAgo: 0 }', '20260102')));
      const d = prepareDesired(await load(tp)).byAddress.get('campaign.zoned')!.desired;
      return ((d.canonicalSpec as Record<string, unknown>)[INPUTS_KEY] as { accountTimezone?: string }).accountTimezone;
    };
    expect(await zoneOf((y) => y)).toBeUndefined();
    expect(await zoneOf((y) => y.replace('"2031-06-01 09:00"', '"2031-06-01T09:00:00Z"'))).toBe('UTC');
    expect(await zoneOf((y) => y.replace('to: 20260102', 'to: { daysAgo: 1 }'))).toBe('UTC');
    expect(await zoneOf((y) => y.replace('Something new', "{{date '2031-06-01T09:00:00Z' 'HH:mm'}} something new"))).toBe('UTC');
  });

  it('a template reading `vars` whole takes every var', async () => {
    const { inputs } = await digest(emailProject({ html: '<h1>{{#with vars}}{{appName}}{{/with}}</h1>' }));
    expect(inputs.vars).toEqual({ appName: 'Streamly', support: 'help@x.example' });
  });
});
