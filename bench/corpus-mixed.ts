/**
 * The `mixed` corpus: a project with every kind, the way a team that uses campaignctl for more than
 * campaigns has it. 150 Campaigns (1.5% of a smaller corpus, at least 2), then Messages (half of
 * the rest: push, email and SMS with data contracts), Schedules (three in ten: message, trigger
 * and campaign schedules, daily, weekly, monthly and every half hour in four time zones, some
 * catching up, some disabled), ExternalTriggers and Bulletins (one in ten each, the bulletins with
 * dated occurrences, all in the future). Deterministic for a given N; every kind and every variant
 * appears within the first 25 files.
 */
import { campaignYaml } from './corpus-varied.js';
import { futureWhen, pad5, placeFile, type CorpusOptions, type WrittenCorpus } from './corpus-files.js';

const MAX_CAMPAIGNS = 150;
const BUSINESS_EVENTS = ['Album Released', 'Price Dropped', 'Episode Published', 'Store Opened'];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Europe/London'];
// Fixed times from 08:00 to 20:59 local: none falls in a clock change's gap or repeated hour.
const CRONS = ['0 9 * * MON', '30 18 * * *', '*/30 9-17 * * 1-5', '0 8 1 * *', '15 12 * * SAT,SUN', '45 20 * * 2-4'];
const CHANNELS = ['push', 'email', 'sms'] as const;
const FIRST_TRIGGER_ID = 1_700_000_000;

type Kind = 'Message' | 'Schedule' | 'ExternalTrigger' | 'Bulletin';

/** The kind of the j-th file after the campaigns. */
function kindAt(j: number): Kind {
  const k = j % 10;
  if (k >= 4 && k <= 6) return 'Schedule';
  if (k === 7) return 'ExternalTrigger';
  if (k === 8) return 'Bulletin';
  return 'Message';
}

export function writeMixed(dir: string, opts: CorpusOptions): WrittenCorpus {
  const campaigns = Math.min(MAX_CAMPAIGNS, Math.max(2, Math.round(opts.count * 0.015)));
  const campaignFiles: string[] = [];
  for (let i = 0; i < campaigns; i++) campaignFiles.push(placeFile(dir, 'mixed', i, `campaign-${pad5(i)}.yaml`, campaignYaml(i, futureWhen(opts.now, i))));

  const rest = Array.from({ length: Math.max(0, opts.count - campaigns) }, (_, j) => kindAt(j));
  const messages: string[] = [];
  const triggers: string[] = [];
  rest.forEach((kind, j) => {
    if (kind === 'Message') messages.push(`msg-${pad5(j)}`);
    if (kind === 'ExternalTrigger') triggers.push(`trigger-${pad5(j)}`);
  });
  const kinds: Record<string, number> = { Campaign: campaigns };
  const triggerIds: string[] = [];
  let schedules = 0;
  rest.forEach((kind, j) => {
    const i = campaigns + j;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const file = `${kind.toLowerCase()}-${pad5(j)}.yaml`;
    if (kind === 'Message') placeFile(dir, 'mixed', i, file, messageYaml(j));
    else if (kind === 'ExternalTrigger') {
      const id = String(FIRST_TRIGGER_ID + j);
      triggerIds.push(id);
      placeFile(dir, 'mixed', i, file, triggerYaml(j, id));
    } else if (kind === 'Bulletin') placeFile(dir, 'mixed', i, file, bulletinYaml(j, opts.now));
    else placeFile(dir, 'mixed', i, file, scheduleYaml(j, schedules++, messages, triggers));
  });
  return { files: opts.count, kinds, campaignFiles, sandbox: { externalTriggers: triggerIds, businessEvents: BUSINESS_EVENTS } };
}

function header(kind: string, name: string, team: string, comment: string): string[] {
  return [`# ${comment}`, 'apiVersion: campaignctl/v1', `kind: ${kind}`, 'metadata:', `  name: ${name}`, '  labels:', `    team: ${team}`, 'spec:'];
}

function messageYaml(j: number): string {
  const channel = CHANNELS[j % 3]!;
  const lines = header('Message', `msg-${pad5(j)}`, ['ecommerce', 'billing', 'support'][j % 3]!, `A ${channel} message sent by a service, or by a Schedule.`);
  lines.push(`  target_mode: ${channel}`, '  content:');
  if (channel === 'push') {
    lines.push(
      '    title: "Order {{data.orderId}} update"',
      `    body: 'Hi {{ Profile.name | default: "there" }}, order {{data.orderId}} at {{vars.shopName}} ${j % 2 ? 'has shipped' : 'is ready'}.'`,
      '    platform_specific:',
      '      android:',
      '        wzrk_cid: orders',
      '      ios:',
      '        mutable-content: "true"',
    );
  } else if (channel === 'email') {
    lines.push('    subject: "Your receipt {{data.orderId}}"', '    sender_name: ShopNest', '    body: |', '      <p>Thanks for shopping at {{vars.shopName}}: order {{data.orderId}}.</p>', '      {{> footer}}');
  } else {
    lines.push(`    body: "{{vars.shopName}}: order {{data.orderId}} ${j % 2 ? 'shipped' : 'is ready for pick-up'}. Reply STOP to opt out."`);
  }
  lines.push(
    '  data:',
    '    type: object',
    '    required: [orderId]',
    '    properties:',
    '      orderId:',
    '        type: string',
    '        pattern: "^SN-[0-9]{6,}$"',
    '      note:',
    '        type: string',
    '        maxLength: 80',
  );
  if (channel !== 'sms') lines.push(`  tag_group: transactional-${channel}`);
  lines.push('  respect_frequency_caps: false');
  return lines.join('\n') + '\n';
}

function triggerYaml(j: number, campaignId: string): string {
  const lines = header('ExternalTrigger', `trigger-${pad5(j)}`, 'lifecycle', `Contract of dashboard campaign ${campaignId} (External Trigger).`);
  lines.push(
    `  campaign_id: "${campaignId}"`,
    '  identity: identity',
    '  payload:',
    '    type: object',
    '    required: [plan]',
    '    properties:',
    '      plan:',
    '        type: string',
    '        enum: [Standard, Premium, Family]',
    '      renewsOn:',
    '        type: string',
    '        format: date',
  );
  return lines.join('\n') + '\n';
}

function bulletinYaml(j: number, now: Date): string {
  const event = BUSINESS_EVENTS[j % BUSINESS_EVENTS.length]!;
  const lines = header('Bulletin', `bulletin-${pad5(j)}`, 'editorial', `Dated raises of the business event "${event}".`);
  lines.push(
    `  business_event: ${event}`,
    '  c-by: editorial@streamly.example',
    '  properties:',
    '    type: object',
    '    required: [title, item_id]',
    '    properties:',
    '      title:',
    '        type: string',
    '        maxLength: 200',
    '      item_id:',
    '        type: string',
    '        pattern: "^it_[0-9a-z]+$"',
    '  occurrences:',
  );
  for (let k = 0; k <= j % 3; k++) {
    const at = new Date(now.getTime() + (20 + ((j + k * 11) % 60)) * 86_400_000);
    const stamp = `${at.toISOString().slice(0, 10)}T${String(8 + (j % 10)).padStart(2, '0')}:00:00+00:00`;
    lines.push(`    - key: drop-${j}-${k}`, `      at: "${stamp}"`, `      name: "{{properties.title}} is out"`, '      properties:', `        title: Release ${j}.${k}`, `        item_id: it_${j.toString(36)}${k}`);
  }
  return lines.join('\n') + '\n';
}

function scheduleYaml(j: number, s: number, messages: string[], triggers: string[]): string {
  const lines = header('Schedule', `schedule-${pad5(j)}`, 'automation', 'A recurring send.');
  lines.push(`  cron: "${CRONS[s % CRONS.length]}"`, `  timezone: ${ZONES[s % ZONES.length]}`);
  if (s % 11 === 5) lines.push('  enabled: false');
  if (s % 4 === 1) lines.push('  catchUp:', '    policy: latest', '    window: 2h');
  if (s % 5 === 2) lines.push('  overlap: skip');
  const what = triggers.length > 0 ? s % 3 : s % 3 === 1 ? 0 : s % 3;
  if (what === 0) {
    lines.push(
      '  message:',
      `    name: ${messages[s % messages.length]}`,
      `    to: { Identity: [user-${s}, user-${s + 1}, user-${s + 2}] }`,
      '    data:',
      '      orderId: "SN-{{schedule.year}}{{schedule.month}}{{schedule.day}}"',
      '      note: "{{vars.shopName}} digest"',
    );
  } else if (what === 1) {
    lines.push('  trigger:', `    name: ${triggers[s % triggers.length]}`, `    to: { identity: [user-${s}] }`, '    data:', `      plan: ${['Standard', 'Premium', 'Family'][s % 3]}`);
  } else {
    lines.push(
      '  campaign:',
      `    title: Digest ${s}`,
      '    target_mode: email',
      '    where:',
      '      event_name: App Launched',
      '      from: { daysAgo: 7 }',
      '      to: { daysAgo: 1 }',
      '    content:',
      '      subject: "Your week on {{vars.appName}} ({{schedule.date}})"',
      '      sender_name: Streamly',
      '      body: |',
      '        <p>Hi {{ Profile.name | default: "there" }}, here is your week.</p>',
      '        {{> footer}}',
      '    provider_nick_name: streamly-ses',
      `    labels: [digest]`,
    );
  }
  return lines.join('\n') + '\n';
}
