/**
 * render as a program calls it: the exact body for a resource from plain values, with only the
 * project and the clock (no state, no network); refusals as data.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project-index/load.js';
import { render, renderSubject } from '../../src/operations/render.js';
import { EVENT, NOW, removeTemps, writeProject } from '../runtime/fixture.js';

afterEach(() => removeTemps());

async function project() {
  const dir = writeProject();
  return { dir, project: await loadProject({ dir, environ: {} }) };
}

describe('render', () => {
  it('a Message with data and identities: the body that send would post', async () => {
    const { dir, project: p } = await project();
    const result = await render({ project: p, clock: () => NOW }, { address: 'message.order-shipped', data: { orderId: 'SN-104233', carrier: 'UPS' }, to: { email: ['a@x.com'] } });
    expect(result).toMatchObject({
      status: 'rendered',
      dataFromExamples: false,
      rendered: { endpoint: '/1/send/push.json', body: { to: { Email: ['a@x.com'] }, content: { title: 'Order SN-104233 is on its way' } }, diagnostics: [] },
    });
    expect(existsSync(path.join(dir, '.campaignctl'))).toBe(false);
  });

  it('without data the examples are used and said to be; without identities a placeholder', async () => {
    const { project: p } = await project();
    const result = await render({ project: p, clock: () => NOW }, { address: 'message.order-shipped' });
    expect(result.status === 'rendered' && result.dataFromExamples).toBe(true);
    expect(result.status === 'rendered' && (result.rendered.body as { to: unknown }).to).toEqual({ Identity: ['<identity>'] });
    // The fixture's schema has no examples: the data is empty and breaks the contract.
    expect(result.status === 'rendered' && result.rendered.diagnostics.map((d) => d.code)).toContain('render.data-invalid');
  });

  it('a Bulletin occurrence with properties given over its own', async () => {
    const { project: p } = await project();
    const result = await render({ project: p, clock: () => NOW }, { address: 'bulletin.album-released', occurrence: 'later', data: { album: 'Other' } });
    expect(result.status === 'rendered' && result.rendered.body).toMatchObject({ business_event: EVENT, name: 'Later', properties: { artist: 'Someone', album: 'Other' } });
  });

  it.each([
    [{ address: 'message.order-shiped' }, 'render.unknown-address'],
    [{ address: 'bulletin.album-released', occurrence: 'nope' }, 'render.bad-argument'],
    [{ address: 'trigger.subscription-upgraded', to: { GPID: ['g-1'] } }, 'runtime.identity-key'],
    [{ address: 'message.order-shipped', data: { orderId: '{{x}}' } }, 'input.liquid-in-data'],
  ])('%o is refused: %s', async (options, code) => {
    const { project: p } = await project();
    const result = await render({ project: p, clock: () => NOW }, options);
    expect(result.status === 'refused' && result.diagnostics.map((d) => d.code)).toEqual([code]);
  });

  it('renderSubject tells what a resource takes before its input is read', async () => {
    const { project: p } = await project();
    const trigger = renderSubject(p, 'trigger.subscription-upgraded');
    expect(trigger.ok && trigger.value.input?.recipients).toEqual({ defaultKey: 'Email', allowedKeys: ['Identity', 'Email', 'objectId'], endpoint: '/1/send/externaltrigger.json' });
    const bulletin = renderSubject(p, 'bulletin.album-released');
    expect(bulletin.ok && bulletin.value.input).toMatchObject({ schema: { required: ['artist', 'album'] } });
    expect(bulletin.ok && bulletin.value.input?.recipients).toBeUndefined();
  });
});
