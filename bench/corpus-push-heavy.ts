/**
 * The `push-heavy` corpus: N files of mobile push, 7 in 10 Campaigns and 3 in 10 Messages, for
 * Android and iOS with `platform_specific` on both (channel ids, deep links, images, custom keys,
 * iOS `mutable-content`, categories, badges), control groups (a percentage or a named custom
 * group), profile filters (profile fields, demographics, technographics, reachability, geography),
 * TTLs and conversion goals. Deterministic for a given N; every feature appears within the first
 * ten files, so a small corpus has them all.
 */
import { futureWhen, pad5, placeFile, slug, whenText, type CorpusOptions, type WrittenCorpus } from './corpus-files.js';

const EVENTS = ['App Launched', 'Video Watched', 'Product Viewed', 'Added To Cart', 'Song Played', 'Charged'];
const TIERS = ['Platinum', 'Gold', 'Silver', 'Bronze'];
const CHANNELS = ['deals', 'new-releases', 'reminders', 'orders'];
const TEAMS = ['growth', 'retention', 'lifecycle', 'ecommerce'];
const CITIES = [
  ['India', 'Maharashtra', 'Mumbai'],
  ['Germany', 'Berlin'],
  ['United States', 'California', 'San Francisco'],
];
/** Custom control groups the campaigns name (the emulator must know them, as CleverTap would). */
export const PUSH_CONTROL_GROUPS = ['Loyalty Holdout', 'Push Holdout Q3'];

export function writePushHeavy(dir: string, opts: CorpusOptions): WrittenCorpus {
  const campaignFiles: string[] = [];
  let messages = 0;
  for (let i = 0; i < opts.count; i++) {
    if (i % 10 < 7) {
      campaignFiles.push(placeFile(dir, 'push', i, `push-${pad5(i)}.yaml`, pushCampaign(i, futureWhen(opts.now, i))));
    } else {
      placeFile(dir, 'push', i, `message-${pad5(i)}.yaml`, pushMessage(i));
      messages++;
    }
  }
  return { files: opts.count, kinds: { Campaign: campaignFiles.length, Message: messages }, campaignFiles, sandbox: { controlGroups: PUSH_CONTROL_GROUPS } };
}

function pushCampaign(i: number, when: Date): string {
  const event = EVENTS[i % EVENTS.length]!;
  const team = TEAMS[i % TEAMS.length]!;
  const days = [1, 7, 14, 30][i % 4]!;
  const lines = [
    `# Push ${i}: ${event} in the last ${days} days, ${TIERS[i % 4]} customers with a push token.`,
    'apiVersion: campaignctl/v1',
    'kind: Campaign',
    'metadata:',
    `  name: p${pad5(i)}-${slug(event)}`,
    '  labels:',
    `    team: ${team}`,
    '    channel: push',
    'spec:',
    `  title: ${event} push ${i}`,
    '  target_mode: push',
    '  where:',
    `    event_name: ${event}`,
    `    from: { daysAgo: ${days} }`,
    '    to: { daysAgo: 0 }',
  ];
  if (i % 3 === 1) lines.push('    event_properties:', '      - name: Genre', '        operator: equals', `        value: [Thriller, Drama]`);
  lines.push('    common_profile_properties:', '      profile_fields:', '        - name: Customer Type', '          operator: equals', `          value: ${TIERS[i % 4]}`);
  if (i % 4 === 1) lines.push('        - name: Lifetime Value', '          operator: greater_than', `          value: ${100 + (i % 9) * 50}`);
  if (i % 5 === 2) lines.push('      demographics:', '        - name: Gender', '          value: F');
  if (i % 3 === 0) lines.push('      technographics:', '        - name: Platform', '          operator: equals', '          value: [AndroidApp, iOSApp]');
  lines.push('      reachability:', '        - name: has_token', '          value: "True"');
  if (i % 6 === 3) lines.push('      geo_fields:', `        - [${CITIES[i % CITIES.length]!.join(', ')}]`);
  lines.push(
    '  content:',
    `    title: "${i % 2 ? 'New on {{vars.appName}}' : `${event}: something for you`}"`,
    `    body: 'Hi {{ Profile.name | default: "there" }}, ${i % 3 ? '{% if Profile.vip %}VIP early access{% else %}fresh picks{% endif %}' : 'we saved your place'} (${TIERS[i % 4]}).'`,
    '    platform_specific:',
    '      android:',
    `        wzrk_cid: ${CHANNELS[i % CHANNELS.length]}`,
    `        deep_link: streamly://push/${i}`,
  );
  if (i % 2 === 0) lines.push(`        background_image: https://cdn.streamly.example/push/${i}.jpg`);
  if (i % 3 === 2) lines.push(`        large_icon: https://cdn.streamly.example/icons/${i % 7}.png`, '        default_sound: true');
  if (i % 4 === 0) lines.push(`        offer_id: "OFFER-${i}"`);
  lines.push('      ios:', `        deep_link: streamly://push/${i}`, '        mutable-content: "true"');
  if (i % 2 === 1) lines.push('        category: WATCH_LATER');
  if (i % 5 === 0) lines.push('        badge_count: 1', '        sound_file: chime.caf');
  lines.push('  devices: [android, ios]', `  when: "${whenText(when)}"`, '  respect_frequency_caps: true');
  if (i % 4 === 3) lines.push('  respect_throttle: true');
  if (i % 3 === 0) lines.push('  control_group:', '    type: campaign', `    percentage: ${5 + (i % 4) * 5}`);
  else if (i % 3 === 1) lines.push('  control_group:', '    type: custom', `    name: ${PUSH_CONTROL_GROUPS[i % 2]}`);
  if (i % 2 === 0) lines.push('  ttl:', '    ttl_type: relative', `    value: ${[60, 720, 1440][i % 3]}`);
  if (i % 7 === 4) lines.push('  send_to_all_devices: true');
  if (i % 5 === 1) lines.push('  conversion_goal:', '    event_name: Charged', '    conversion_time: 1D');
  lines.push(`  labels: [push, ${team}]`);
  return lines.join('\n') + '\n';
}

function pushMessage(i: number): string {
  const team = TEAMS[i % TEAMS.length]!;
  const lines = [
    `# Transactional push ${i}, sent by a service with \`campaignctl send\`.`,
    'apiVersion: campaignctl/v1',
    'kind: Message',
    'metadata:',
    `  name: m${pad5(i)}-order-update`,
    '  labels:',
    `    team: ${team}`,
    'spec:',
    '  target_mode: push',
    '  content:',
    `    title: "Order {{data.orderId}} ${['shipped', 'is out for delivery', 'was delivered'][i % 3]}"`,
    `    body: 'Hi {{ Profile.name | default: "there" }}, your {{vars.shopName}} order {{data.orderId}}${i % 2 ? ' arrives {{data.eta}}' : ' is on its way'}.'`,
    '    platform_specific:',
    '      android:',
    '        wzrk_cid: orders',
    '        deep_link: "shopnest://orders/{{data.orderId}}"',
    '      ios:',
    '        deep_link: "shopnest://orders/{{data.orderId}}"',
    '        mutable-content: "true"',
    '  data:',
    '    type: object',
    `    required: [orderId${i % 2 ? ', eta' : ''}]`,
    '    properties:',
    '      orderId:',
    '        type: string',
    '        pattern: "^SN-[0-9]{6,}$"',
    '      eta:',
    '        type: string',
    '        format: date',
    `  tag_group: transactional-${team}`,
    '  respect_frequency_caps: false',
  ];
  return lines.join('\n') + '\n';
}
