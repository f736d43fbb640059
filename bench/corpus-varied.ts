/**
 * The `varied` corpus of the plan benchmark: N campaign files that look like a real team's, varied
 * the way real ones vary (channel, audience, Liquid personalisation, some campaignctl variables,
 * labels, comments), deterministic for a given N so runs compare. Every `when` lies in the future
 * (so the campaigns stay scheduled) and spreads over a few weeks (so refresh needs a few list
 * windows).
 */
import { futureWhen, placeFile, type CorpusOptions, type WrittenCorpus } from './corpus-files.js';

const EVENTS = ['Product Viewed', 'Added To Cart', 'Video Watched', 'App Launched', 'Charged', 'Search Performed', 'Song Played'];
const CATEGORIES = ['Electronics', 'Home Appliances', 'Books', 'Fashion', 'Toys', 'Garden', 'Sports', 'Beauty'];
const TEAMS = ['growth', 'ecommerce', 'retention', 'lifecycle', 'content'];
const CHANNELS = ['push', 'email', 'sms'] as const;

export function writeVaried(dir: string, opts: CorpusOptions): WrittenCorpus {
  const files: string[] = [];
  for (let i = 0; i < opts.count; i++) files.push(placeFile(dir, 'team', i, `campaign-${String(i).padStart(5, '0')}.yaml`, campaignYaml(i, futureWhen(opts.now, i))));
  return { files: files.length, kinds: { Campaign: files.length }, campaignFiles: files, sandbox: {} };
}

export function campaignYaml(i: number, when: Date): string {
  const channel = CHANNELS[i % 3]!;
  const event = EVENTS[i % EVENTS.length]!;
  const team = TEAMS[i % TEAMS.length]!;
  const days = [1, 7, 14, 30, 90][i % 5]!;
  const stamp = when.toISOString().slice(0, 16).replace('T', ' ');
  const lines = [
    `# Campaign ${i}: ${channel} to people who did "${event}" in the last ${days} days.`,
    'apiVersion: campaignctl/v1',
    'kind: Campaign',
    'metadata:',
    `  name: c${String(i).padStart(5, '0')}-${event.toLowerCase().replace(/ /g, '-')}`,
    '  labels:',
    `    team: ${team}`,
    `    wave: w${i % 12}`,
    'spec:',
    `  title: ${event} follow-up ${i}`,
    `  target_mode: ${channel}`,
    '  where:',
    `    event_name: ${event}`,
    `    from: { daysAgo: ${days} }`,
    '    to: { daysAgo: 0 }',
  ];
  if (i % 4 !== 0) {
    lines.push('    event_properties:', '      - name: Category', '        operator: equals');
    lines.push(i % 2 ? `        value: ${CATEGORIES[i % CATEGORIES.length]}` : `        value: [${CATEGORIES[i % 8]}, ${CATEGORIES[(i + 3) % 8]}]`);
  }
  if (i % 5 === 0) lines.push('    advanced_query:', '      did_none:', '        - event_name: Charged', `          from: { daysAgo: ${days} }`, '          to: { daysAgo: 0 }');
  lines.push('  content:');
  if (channel === 'push') {
    lines.push(
      `    title: "${i % 3 === 0 ? 'New on {{vars.appName}}' : 'Still thinking about it?'}"`,
      `    body: 'Hi {{ Profile.name | default: "there" }}, ${i % 2 ? '{% if Profile.vip %}VIP prices{% else %}new prices{% endif %} on' : 'fresh picks in'} ${CATEGORIES[i % 8]}.'`,
      '    platform_specific:',
      '      android:',
      '        wzrk_cid: deals',
      `        deep_link: shopnest://deals/${i}`,
      '      ios:',
      `        deep_link: shopnest://deals/${i}`,
    );
  } else if (channel === 'email') {
    lines.push(
      `    subject: '${i % 2 ? '{{ Profile.first_name | default: "Hello" }}, ' : ''}your ${CATEGORIES[i % 8]} picks'`,
      '    sender_name: ShopNest',
      '    reply_to: help@shopnest.example',
      '    body: |',
      '      <h1>Picked for you</h1>',
      `      <p>{% for p in Profile.recent limit: 3 %}{{ p.title }} {% endfor %}</p>`,
      `      <p>Thanks for shopping at ${i % 4 === 1 ? '{{vars.shopName}}' : 'ShopNest'}.</p>`,
      ...(i % 6 === 2 ? ['      {{> footer}}'] : []),
    );
  } else {
    lines.push(`    body: "${i % 3 === 2 ? '{{vars.shopName}}' : 'ShopNest'}: ${CATEGORIES[i % 8]} deals end soon. Reply STOP to opt out."`);
  }
  if (channel === 'push') lines.push('  devices: [android, ios]');
  lines.push(`  when: "${stamp}"`, '  respect_frequency_caps: true');
  if (i % 7 === 0) lines.push('  control_group:', '    type: campaign', '    percentage: 10');
  lines.push(`  labels: [bench, ${team}]`);
  // No guards: guards fail closed, so a guarded create is estimated even under --no-estimate, and
  // the client spaces estimates ~350 ms apart (CleverTap's create limit). This bench measures the
  // planning itself; a project pays ~0.35 s per guarded change on top of it.
  return lines.join('\n') + '\n';
}
