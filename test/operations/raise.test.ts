/**
 * raise as a daemon or a program calls it: an ad hoc raise from plain values, a YAML occurrence
 * claimed so it is raised once, refusals and an occurrence claimed before returned as data,
 * nothing printed. A real project and SQLite state, the emulator behind the real client.
 */
import { describe, expect, it } from 'vitest';
import { checkRaise, raise, type RaiseOptions } from '../../src/operations/raise.js';
import { occurrenceRunKey } from '../../src/runtime/occurrence.js';
import { EVENT, NOW } from '../runtime/fixture.js';
import { openOperations } from './runtime-helpers.js';

const BULLETIN = 'bulletin.album-released';

describe('raise', () => {
  it('ad hoc: the rendered name and the properties, c-by from the YAML; a report as data, nothing printed', async () => {
    const o = await openOperations();
    const result = await raise(o.ctx, { bulletin: 'album-released', name: '{{properties.artist}} live', properties: { artist: 'Nova Lane', album: 'Live' } });
    expect(result).toMatchObject({ status: 'done', occurrence: false, sandbox: false, report: { outcome: 'succeeded', address: BULLETIN } });
    expect(o.emulator.state.requests().map((r) => r.body)).toEqual([
      { business_event: EVENT, name: 'Nova Lane live', properties: { artist: 'Nova Lane', album: 'Live' }, 'c-by': 'editor@example.com', when: 'now' },
    ]);
    expect(await o.audit()).toMatchObject([{ command: 'raise', address: BULLETIN, outcome: 'succeeded' }]);
    expect(o.printed()).toBe('');
  });

  it('an occurrence is claimed and raised once; the second call is answered already-claimed, not sent', async () => {
    const o = await openOperations();
    const first = await raise(o.ctx, { bulletin: BULLETIN, occurrence: 'nova-midnight' });
    expect(first).toMatchObject({ status: 'done', occurrence: true, prepared: { address: `${BULLETIN}#nova-midnight` }, report: { outcome: 'succeeded' } });
    expect((await o.ctx.store.runs.get(occurrenceRunKey(BULLETIN, 'nova-midnight')))?.status).toBe('done');

    const again = await raise(o.ctx, { bulletin: BULLETIN, occurrence: 'nova-midnight' });
    expect(again).toMatchObject({ status: 'already-claimed', run: { status: 'done' }, diagnostics: [{ code: 'runtime.occurrence-claimed', address: `${BULLETIN}#nova-midnight` }] });
    expect(again.status === 'already-claimed' && again.diagnostics[0]!.hint).toContain('add a new occurrence with a new key');
    expect(o.emulator.state.requests()).toHaveLength(1);
    expect(o.printed()).toBe('');
  });

  it('an ambiguous outcome is reported unknown, never raised again; the refusal names the command that settles it', async () => {
    const o = await openOperations();
    o.emulator.state.injectFaults([{ fault: 'drop-after-commit', family: 'trigger' }]);
    const result = await raise(o.ctx, { bulletin: BULLETIN, occurrence: 'nova-midnight' });
    expect(result).toMatchObject({ status: 'done', report: { outcome: 'unknown' } });
    expect((await o.ctx.store.runs.get(occurrenceRunKey(BULLETIN, 'nova-midnight')))?.status).toBe('unknown');
    const again = await raise(o.ctx, { bulletin: BULLETIN, occurrence: 'nova-midnight' });
    expect(again.status === 'already-claimed' && again.diagnostics[0]!.hint).toContain(`campaignctl --env live state resolve ${BULLETIN}#nova-midnight`);
    expect(o.emulator.state.requests()).toHaveLength(1);
  });

  it('a dry run renders the body and claims, sends and records nothing', async () => {
    const o = await openOperations();
    const result = await raise(o.ctx, { bulletin: BULLETIN, occurrence: 'nova-midnight', dryRun: true });
    expect(result).toMatchObject({ status: 'dry-run', prepared: { body: { name: 'Nova Lane: Midnight Echoes is out', when: 'now' } } });
    expect(await o.ctx.store.runs.get(occurrenceRunKey(BULLETIN, 'nova-midnight'))).toBeNull();
    expect(o.emulator.state.requests()).toHaveLength(0);
    expect(await o.audit()).toHaveLength(0);
  });

  it.each<[string, RaiseOptions, string]>([
    ['an unknown Bulletin', { bulletin: 'album-relased', name: 'x' }, 'runtime.unknown-contract'],
    ['an occurrence with a name', { bulletin: BULLETIN, occurrence: 'nova-midnight', name: 'other' }, 'input.invalid'],
    ['neither a name nor an occurrence', { bulletin: BULLETIN, properties: { artist: 'a', album: 'b' } }, 'input.invalid'],
    ['Liquid in a property', { bulletin: BULLETIN, name: 'x', properties: { artist: '{{ Profile.name }}', album: 'b' } }, 'input.liquid-in-data'],
    ['properties outside the schema', { bulletin: BULLETIN, name: 'x', properties: { artist: 'a' } }, 'render.data-invalid'],
    ['an occurrence the YAML does not have', { bulletin: BULLETIN, occurrence: 'nova' }, 'runtime.occurrence-unknown-key'],
  ])('%s is refused as data: nothing claimed or sent', async (_name, options, code) => {
    const o = await openOperations();
    const result = await raise(o.ctx, options);
    expect(result.status).toBe('refused');
    expect(result.status === 'refused' && result.diagnostics.map((d) => d.code)).toContain(code);
    expect(await o.ctx.store.runs.list()).toHaveLength(0);
    expect(o.emulator.state.requests()).toHaveLength(0);
    expect(o.printed()).toBe('');
  });

  it('checkRaise needs only the project and the clock', async () => {
    const o = await openOperations();
    const checked = checkRaise({ project: o.project, clock: () => NOW }, { bulletin: BULLETIN, name: 'Hi {{properties.artist}}', properties: { artist: 'A', album: 'B' } });
    expect(checked).toMatchObject({ status: 'ready', prepared: { body: { name: 'Hi A' } } });
  });
});
