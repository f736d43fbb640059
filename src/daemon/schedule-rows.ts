/**
 * The state store as the daemon's schedules listing (GET /v1/status, the status page, the cron
 * runner's next fire) reads it: `resources.list()` gives the Schedule rows only, found through
 * the rows without specs that state keeps until its revision moves (../apply/refresh.ts) and
 * each read in full. listSchedules reads no other resource; reading all 10,000 rows with their
 * specs for a handful of Schedules cost ~100 ms per status request, and its garbage landed in the
 * next reconcile. Everything else is the store itself.
 */
import { rowsWithoutSpecs } from '../apply/refresh.js';
import type { AppliedResource } from '../model/applied.js';
import type { StateStore } from '../state/store.js';

export function scheduleRowsOf(store: StateStore): StateStore {
  const resources: StateStore['resources'] = {
    ...bound(store.resources),
    list: async () => {
      const schedules = (await rowsWithoutSpecs(store)).filter((r) => r.kind === 'Schedule');
      const full = await Promise.all(schedules.map((r) => store.resources.get(r.address)));
      return full.filter((r): r is AppliedResource => r !== null);
    },
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'resources') return resources;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The resource store's methods, bound to it (so they may be copied into another object). */
function bound(r: StateStore['resources']): StateStore['resources'] {
  return { get: (a) => r.get(a), list: () => r.list(), listWithoutSpecs: () => r.listWithoutSpecs(), campaignStarts: () => r.campaignStarts(), listOf: (a) => r.listOf(a), put: (x) => r.put(x), delete: (a) => r.delete(a) };
}
