/**
 * Message via Identity (`POST /1/send/<target_mode>.json`) bodies: recipients under CleverTap's
 * `to` keys (Identity, Email, FBID, GPID, objectId), content rendered with the caller's data.
 * No create-campaign fields (`where`, `when`, ...): whether the send endpoints ignore them is
 * unverified (clevertap-api.md section 3), so they are never sent.
 */
import type { IdentityTo, MessageResource } from '../model/specs.js';
import { Collector } from './collect.js';
import { renderContent } from './content.js';
import type { RenderContext, RenderResult } from './context.js';
import { validateData } from './data.js';
import { mergeWire } from './merge.js';

export interface MessageSendBody {
  to: IdentityTo;
  content: Record<string, unknown>;
  tag_group?: string;
  respect_frequency_caps?: boolean;
  provider_nick_name?: string;
  [field: string]: unknown;
}

export function messageEndpoint(targetMode: string): string {
  return `/1/send/${targetMode}.json`;
}

/**
 * The body for one batch of recipients (batching to 1000 is the client's job). `data` is checked
 * against the Message's `data` schema first (defaults filled in); its problems are errors.
 */
export function renderMessageBody(r: MessageResource, ctx: RenderContext, data: unknown, to: IdentityTo): RenderResult<MessageSendBody> {
  const col = new Collector(r.address, ctx);
  const checked = validateData(r.spec.data, data);
  for (const d of checked.diagnostics) col.plain(d);
  const content = renderContent(col, r.spec.target_mode, r.spec.content, ['spec', 'content'], { vars: ctx.vars, data: checked.data }, r.source.file);
  if (checked.diagnostics.length) {
    // Values missing from invalid data are already reported against the data; do not repeat them
    // as template problems.
    const kept = col.diagnostics.filter((d) => d.code !== 'template.missing-value');
    col.diagnostics.splice(0, col.diagnostics.length, ...kept);
  }
  const body: MessageSendBody = { to: structuredClone(to), content: content.content };
  if (r.spec.tag_group !== undefined) body.tag_group = r.spec.tag_group;
  if (r.spec.respect_frequency_caps !== undefined) body.respect_frequency_caps = r.spec.respect_frequency_caps;
  if (r.spec.provider_nick_name !== undefined) body.provider_nick_name = r.spec.provider_nick_name;
  const result: RenderResult<MessageSendBody> = {
    endpoint: messageEndpoint(r.spec.target_mode),
    body: mergeWire(body, r.spec.wire),
    diagnostics: col.diagnostics,
  };
  if (content.sms) result.sms = content.sms;
  return result;
}
