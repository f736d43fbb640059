/**
 * Option values several commands share: `--selector` must mean the same for `stop`, `plan` and
 * `apply` (comma-separated pairs included), and repeatable options accumulate.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, parseSelector } from '../../src/cli/shared/option-values.js';
import { planOptionsFrom } from '../../src/cli/shared/planning-flags.js';
import { loadProject } from '../../src/project-index/load.js';

const BASIC = path.resolve(import.meta.dirname, '../fixtures/projects/basic');

describe('parseSelector', () => {
  it('splits commas and repeated flags into one selector, keeping what is not key=value apart', () => {
    expect(parseSelector(['team=growth,tier=1', 'app = streamly', 'note=a=b'])).toEqual({
      selector: { team: 'growth', tier: '1', app: 'streamly', note: 'a=b' },
      invalid: [],
    });
    expect(parseSelector(['team', '=x', ' =y', 'tier=1'])).toEqual({ selector: { tier: '1' }, invalid: ['team', '=x', ' =y'] });
  });
});

describe('collect', () => {
  it('accumulates a repeatable option, starting from its default or from nothing', () => {
    expect(collect('b', collect('a', []))).toEqual(['a', 'b']);
    expect(collect('a', undefined)).toEqual(['a']);
  });
});

describe('planOptionsFrom --selector', () => {
  it('reads k=v,k2=v2 as two labels, as stop does', async () => {
    const project = await loadProject({ dir: BASIC, environ: {} });
    const { options, diagnostics } = await planOptionsFrom({ selector: ['team=growth,tier=1', 'app=streamly'] }, project);
    expect(diagnostics).toEqual([]);
    expect(options.scope).toEqual({ selector: { team: 'growth', tier: '1', app: 'streamly' } });
  });

  it('reports each pair that is not key=value as an invalid flag', async () => {
    const project = await loadProject({ dir: BASIC, environ: {} });
    const { diagnostics } = await planOptionsFrom({ selector: ['team=growth,tier'] }, project);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['cli.invalid-flag', '--selector: "tier" is not key=value']]);
  });
});
