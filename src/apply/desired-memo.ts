/**
 * What desired state derives from each resource (its spec hash and start), remembered across runs
 * in `.campaignctl/cache/desired-<environment>.json` (a ../config/memo.ts), so a plan where little
 * changed hashes only what changed. The context: campaignctl's code, the environment's vars and
 * account time zone, and the partials (what a spec hash reads from outside its file). Resources
 * with an email `body_file` are never remembered (./desired.ts reads that file fresh).
 */
import { Memo, memoContext, memoFile } from '../config/memo.js';
import type { Project } from '../config/project.js';
import type { StartsAt } from '../plan/instant.js';

export interface Derived {
  specHash: string;
  startsAt?: StartsAt;
}

export interface DesiredMemo {
  get(key: string): Derived | undefined;
  set(key: string, value: Derived): void;
  /** Writes the memo when it changed; false when the folder can not be written (not an error). */
  save(): boolean;
}

/** The code whose output the memo keeps: desired state, canonical form, start times. */
const DERIVING_CODE = ['apply', 'plan', 'render', 'templates', 'time'];

/** The memo of a project; its file is read on first use (a plan the no-change record answers never uses it). */
export function openDesiredMemo(project: Project): DesiredMemo {
  let memo: Memo<[string, StartsAt | null]> | undefined;
  const opened = () =>
    (memo ??= Memo.open<[string, StartsAt | null]>(memoFile(project.root, 'desired', project.environmentName), memoContext(project.environment, project.partials, DERIVING_CODE)));
  return {
    get(key) {
      const e = opened().get(key);
      return e === undefined ? undefined : e[1] ? { specHash: e[0], startsAt: e[1] } : { specHash: e[0] };
    },
    set: (key, d) => opened().set(key, [d.specHash, d.startsAt ?? null]),
    save: () => memo?.save() ?? true,
  };
}

