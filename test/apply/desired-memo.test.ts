/**
 * Spec hashes kept in the project index: a resource whose file content and inputs are unchanged
 * takes the hash and start of an earlier run; anything that moves the hash (content, vars,
 * partials, zone) is computed again; a body_file campaign is never remembered.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDesired, type DesiredMemo } from '../../src/apply/desired.js';
import { type Project } from '../../src/config/project.js';
import { loadProject } from '../../src/project-index/load.js';
import { openDesiredMemo as indexMemo } from '../../src/project-index/load.js';
import { indexFile } from '../../src/project-index/persist.js';
import { TempProject } from './helpers.js';

/** The project with its index persisted (as the CLI loads it). */
const load = (tp: TempProject) => loadProject({ dir: tp.root, environ: {}, cache: true });

function openDesiredMemo(p: Project): DesiredMemo {
  const memo = indexMemo(p);
  if (!memo) throw new Error('no index memo for a project loaded with persistence on');
  return memo;
}

const temps: TempProject[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.dispose();
});

function project(vars: Record<string, string> = { appName: 'Streamly' }): TempProject {
  const tp = new TempProject({ vars });
  temps.push(tp);
  tp.campaign({ name: 'alpha', when: '2031-06-01 09:00' });
  tp.campaign({ name: 'beta' });
  return tp;
}

/** A memo that counts what it was asked and told. */
function counting(memo: DesiredMemo) {
  const seen = { hits: 0, misses: 0, sets: 0 };
  return {
    seen,
    memo: {
      get(k: string) {
        const v = memo.get(k);
        if (v) seen.hits++;
        else seen.misses++;
        return v;
      },
      set(k: string, v: Parameters<DesiredMemo['set']>[1]) {
        seen.sets++;
        memo.set(k, v);
      },
      save: () => memo.save(),
    } satisfies DesiredMemo,
  };
}

function summary(p: Project, memo?: DesiredMemo) {
  return prepareDesired(p, { memo }).desired.map((d) => ({ address: d.resource.address, hash: d.specHash, startsAt: d.startsAt, spec: d.canonicalSpec }));
}

describe('spec hashes in the index', () => {
  it('a second run takes every hash and start from the memo, with the same result as no memo', async () => {
    const tp = project();
    const p = await load(tp);
    const first = counting(openDesiredMemo(p));
    const computed = summary(p, first.memo);
    expect(first.seen).toEqual({ hits: 0, misses: 2, sets: 2 });
    expect(first.memo.save()).toBe(true);
    expect(existsSync(indexFile(tp.root, undefined))).toBe(true);

    const second = counting(openDesiredMemo(await load(tp)));
    const remembered = summary(await load(tp), second.memo);
    expect(second.seen).toEqual({ hits: 2, misses: 0, sets: 0 });
    expect(remembered).toEqual(computed);
    expect(remembered).toEqual(summary(await load(tp)));
  });

  it('an edited file is computed again; the others still come from the memo', async () => {
    const tp = project();
    const m = openDesiredMemo(await load(tp));
    summary(await load(tp), m);
    m.save();
    tp.campaign({ name: 'beta', title: 'Edited' });
    const p = await load(tp);
    const again = counting(openDesiredMemo(p));
    const result = summary(p, again.memo);
    expect(again.seen).toEqual({ hits: 1, misses: 1, sets: 1 });
    expect(result).toEqual(summary(p));
  });

  it('other vars or zone: every hash is computed again; a partial: those of the resources that call it', async () => {
    const tp = project();
    const m = openDesiredMemo(await load(tp));
    const before = summary(await load(tp), m);
    m.save();
    writeFileSync(path.join(tp.root, 'campaignctl.yaml'), `defaultEnvironment: test\nenvironments:\n  test:\n    provider: clevertap\n    accountTimezone: UTC\n    vars: {"appName": "Other"}\n`);
    const p = await load(tp);
    const again = counting(openDesiredMemo(p));
    const result = summary(p, again.memo);
    expect(again.seen.hits).toBe(0);
    expect(result).toEqual(summary(p));
    expect(result[0]!.hash).not.toBe(before[0]!.hash);

    again.memo.save();
    tp.campaign({ name: 'beta', body: 'Bye {{> footer}}' });
    tp.write('campaigns/_partials/footer.hbs', 'a partial');
    const called = await load(tp);
    const first = counting(openDesiredMemo(called));
    summary(called, first.memo);
    first.memo.save();
    tp.write('campaigns/_partials/footer.hbs', 'another partial');
    const moved = await load(tp);
    const withPartial = counting(openDesiredMemo(moved));
    const hashes = summary(moved, withPartial.memo);
    expect(withPartial.seen).toEqual({ hits: 1, misses: 1, sets: 1 });
    expect(hashes).toEqual(summary(moved));
  });

  it('a damaged index file is an empty memo, and is rewritten', async () => {
    const tp = project();
    await load(tp);
    writeFileSync(indexFile(tp.root, undefined), '{"context": 12, "entr');
    const p = await load(tp);
    const m = counting(openDesiredMemo(p));
    expect(summary(p, m.memo)).toEqual(summary(p));
    expect(m.seen.hits).toBe(0);
    expect(m.memo.save()).toBe(true);
    const again = counting(openDesiredMemo(p));
    summary(p, again.memo);
    expect(again.seen.hits).toBe(2);
  });
});
