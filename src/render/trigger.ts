/**
 * External Trigger (`POST /1/send/externaltrigger.json`) bodies: lower-case `to` keys (email,
 * identity, objectId), the dashboard campaign's id as written in YAML, and the caller's data as
 * the `ExternalTrigger` object (checked against the contract's `payload` schema). Nothing here is
 * templated: the dashboard campaign's Liquid reads `ExternalTrigger.*` on CleverTap's side.
 */
import type { ExternalTriggerResource, TriggerTo } from '../model/specs.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RenderResult } from './context.js';
import { validateData } from './data.js';
import { mergeWire } from './merge.js';

export const EXTERNAL_TRIGGER_ENDPOINT = '/1/send/externaltrigger.json';

export interface ExternalTriggerBody {
  to: TriggerTo;
  campaign_id: number | string;
  ExternalTrigger: Record<string, unknown>;
  [field: string]: unknown;
}

export function renderTriggerBody(r: ExternalTriggerResource, data: unknown, to: TriggerTo): RenderResult<ExternalTriggerBody> {
  const checked = validateData(r.spec.payload, data);
  const diagnostics: Diagnostic[] = checked.diagnostics.map((d) => ({ ...d, address: r.address }));
  const payload = checked.data;
  const isObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
  if (!isObject && !r.spec.payload) {
    diagnostics.push({ ...diagnostic('render.data-invalid', { path: '', detail: 'must be an object (the ExternalTrigger keys)' }), address: r.address });
  }
  const body: ExternalTriggerBody = {
    to: structuredClone(to),
    campaign_id: r.spec.campaign_id,
    ExternalTrigger: isObject ? (payload as Record<string, unknown>) : {},
  };
  return { endpoint: EXTERNAL_TRIGGER_ENDPOINT, body: mergeWire(body, r.spec.wire), diagnostics };
}
