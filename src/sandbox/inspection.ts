/**
 * The control endpoints under `/__sandbox/`, served only when the emulator was started with
 * inspection on. Plain JSON in and out (not CleverTap's envelope): they are ours, not CleverTap's.
 *
 * `GET /__sandbox/` is the index: what the emulator holds, and every endpoint with its link
 * (CONTROL_ENDPOINTS in inspection-index.ts, the one list of them).
 */
import type { SandboxControl } from './control.js';
import { isFaultName } from './faults.js';
import { inspectionIndex } from './inspection-index.js';
import type { ScriptedFault } from './faults.js';
import { isRecord } from '../model/record.js';

export interface InspectionReply {
  status: number;
  body: unknown;
}

const ok = (body: unknown = { ok: true }): InspectionReply => ({ status: 200, body });
const bad = (error: string, status = 400): InspectionReply => ({ status, body: { ok: false, error } });

export function handleInspection(control: SandboxControl, method: string, url: URL, body: unknown): InspectionReply {
  const path = url.pathname.replace(/^\/__sandbox/, '').replace(/\/+$/, '');
  const input = isRecord(body) ? body : {};
  const campaignPath = /^\/campaigns\/(\d+)(?:\/(complete|stop))?$/.exec(path);
  if (campaignPath) {
    const id = Number(campaignPath[1]);
    const action = campaignPath[2];
    if (!action && method === 'GET') {
      const c = control.campaign(id);
      return c ? ok(c) : bad(`no campaign ${id}`, 404);
    }
    if (action === 'complete' && method === 'POST') {
      const result =
        typeof input.sent === 'number' || typeof input.clicked === 'number'
          ? { sent: Number(input.sent ?? 0), clicked: Number(input.clicked ?? 0) }
          : undefined;
      return control.markCompleted(id, result) ? ok() : bad(`no campaign ${id}`, 404);
    }
    if (action === 'stop' && method === 'POST') return control.dashboardStop(id) ? ok() : bad(`no campaign ${id}`, 404);
    return bad('method not allowed', 405);
  }
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET ':
      return ok(inspectionIndex(control));
    case 'GET /requests':
      return ok(control.requests({ family: url.searchParams.get('family') ?? undefined, path: url.searchParams.get('path') ?? undefined }));
    case 'DELETE /requests':
      control.clearRequests();
      return ok();
    case 'GET /campaigns':
      return ok(control.campaigns());
    case 'GET /sends':
      return ok(control.sends());
    case 'GET /clock':
      return ok({ now: control.now().toISOString() });
    case 'POST /clock': {
      if (typeof input.set === 'string') {
        const t = Date.parse(input.set);
        if (Number.isNaN(t)) return bad('set must be an ISO instant');
        control.setClock(new Date(t));
      } else if (typeof input.advanceMs === 'number' && Number.isFinite(input.advanceMs)) {
        control.advanceClock(input.advanceMs);
      } else {
        return bad('give {set: ISO} or {advanceMs: N}');
      }
      return ok({ now: control.now().toISOString() });
    }
    case 'POST /reset':
      control.reset();
      return ok();
    case 'GET /registered':
      return ok(control.registered());
    case 'POST /external-triggers':
      if (!Array.isArray(input.ids)) return bad('give {ids: [...]}');
      control.registerExternalTriggers(input.ids.map(String));
      return ok(control.registered());
    case 'POST /business-events':
      if (!Array.isArray(input.names)) return bad('give {names: [...]}');
      control.registerBusinessEvents(input.names.map(String));
      return ok(control.registered());
    case 'POST /control-groups':
      if (!Array.isArray(input.names)) return bad('give {names: [...]}');
      control.registerControlGroups(input.names.map(String));
      return ok(control.registered());
    case 'GET /concurrency':
      return ok(control.concurrency());
    case 'DELETE /concurrency':
      control.resetPeaks();
      return ok(control.concurrency());
    case 'GET /faults':
      return ok(control.pendingFaults());
    case 'POST /faults': {
      const next = Array.isArray(input.next) ? input.next : null;
      const faults: ScriptedFault[] = [];
      for (const f of next ?? []) {
        if (!isRecord(f) || typeof f.fault !== 'string' || !isFaultName(f.fault)) return bad('each fault needs {fault: 429|500|drop-after-commit|timeout}');
        faults.push({ fault: f.fault, family: typeof f.family === 'string' ? f.family : undefined, count: typeof f.count === 'number' ? f.count : undefined });
      }
      if (!next) return bad('give {next: [{fault, family?, count?}]}');
      control.injectFaults(faults);
      return ok(control.pendingFaults());
    }
    default:
      return bad(`unknown control endpoint ${method} /__sandbox${path}; GET /__sandbox/ lists them`, 404);
  }
}
