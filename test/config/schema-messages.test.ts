/**
 * What the schema diagnostics say, beyond where they point (the corpus checks places): the
 * closest allowed key, the allowed values, expected and actual types, and one error per mistake.
 */
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/config/check-file.js';
import { loadSchemas } from '../../src/config/schemas.js';

const CAMPAIGN = `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: winter-sale
spec:
  target_mode: push
  where: {}
  content:
    title: Winter sale
    body: Up to 50% off
  devices: [android]
  when: now
`;

function check(text: string) {
  return checkFile('campaigns/c.yaml', text, loadSchemas()).diagnostics;
}

function edit(from: string, to: string): string {
  if (!CAMPAIGN.includes(from)) throw new Error(`fixture has no ${from}`);
  return CAMPAIGN.replace(from, to);
}

describe('schema diagnostics', () => {
  it('accepts the valid base document', () => {
    expect(check(CAMPAIGN)).toEqual([]);
  });

  it('names an unknown key and the closest allowed one, as a single error', () => {
    const [d, ...rest] = check(edit('target_mode: push', 'target_mod: push'));
    expect(rest).toEqual([]);
    expect(d.message).toBe('unknown key `target_mod` in `spec`');
    expect(d.hint).toBe('did you mean `target_mode`?');
    expect(d.address).toBe('campaign.winter-sale');
  });

  it('lists the allowed keys when nothing is close', () => {
    const [d] = check(edit('  when: now', '  when: now\n  zebra: 1'));
    expect(d.hint).toMatch(/^allowed keys: `title`, `target_mode`, /);
  });

  it('lists the allowed values of an enum and suggests the closest', () => {
    const [d] = check(edit('target_mode: push', 'target_mode: pus'));
    expect(d.message).toBe('`spec.target_mode` must be one of `push`, `webpush`, `email`, `sms`; got "pus"');
    expect(d.hint).toBe('did you mean `push`?');
  });

  it('says the expected and the actual type, in YAML words', () => {
    const [d] = check(edit('devices: [android]', 'devices: android'));
    expect(d.message).toBe('`spec.devices` must be a list; got a string');
    const [union] = check(edit('where: {}', 'where: {event_name: X, from: [1], to: 20260101}'));
    expect(union.message).toBe('`spec.where.from` must be an integer, a string or a mapping; got a list');
  });

  it('picks the alternative the value was meant to be (the {daysAgo} form here)', () => {
    const [d, ...rest] = check(edit('where: {}', 'where: {event_name: X, from: {daysAgo: -1}, to: 20260101}'));
    expect(rest).toEqual([]);
    expect(d.code).toBe('schema.range');
    expect(d.message).toBe('`spec.where.from.daysAgo` must be at least 0; got -1');
  });

  it('explains exactly-one-of alternatives by their keys', () => {
    const none = check(edit('  where: {}\n', ''));
    expect(none.map((d) => d.message)).toEqual(['`spec` must have one of `where`, `segment`']);
    const both = check(edit('  where: {}\n', '  where: {}\n  segment: 12\n'));
    expect(both.map((d) => d.message)).toEqual(['`spec` must have only one of `where`, `segment`, not several']);
  });

  it('checks content by target_mode, without the `if` noise', () => {
    const d = check(edit('    body: Up to 50% off\n', ''));
    expect(d.map((x) => x.message)).toEqual(['`spec.content` is missing the required key `body`']);
  });

  it('shows the form from the schema description instead of a long regular expression', () => {
    const [d] = check(edit('when: now', 'when: tomorrow'));
    expect(d.message).toBe('`spec.when` "tomorrow" is not in the expected form');
    expect(d.hint).toMatch(/^When to start/);
  });

  it('keeps a short pattern in the message', () => {
    const [d] = check(edit('name: winter-sale', 'name: Winter'));
    expect(d.message).toBe('`metadata.name` "Winter" does not match `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`');
  });
});
