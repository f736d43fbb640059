/** What the project-index tests edit: an SMS Campaign's YAML, and a small project of them with a partial. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const smsCampaign = (name: string, body: string, when = '2027-06-01 09:00') => `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: ${name}
spec:
  target_mode: sms
  where: { event_name: Charged, from: 20270101, to: 20270102 }
  content:
    body: ${JSON.stringify(body)}
  when: "${when}"
`;

/**
 * A new folder under `scratch`: a sandbox environment (its `extraConfig` lines appended), the
 * partial `footer`, campaigns c0..c7 and `footed`, which calls the partial.
 */
export function smallProject(scratch: string, extraConfig = ''): string {
  const root = mkdtempSync(path.join(scratch, 'p-'));
  mkdirSync(path.join(root, 'campaigns', '_partials'), { recursive: true });
  writeFileSync(path.join(root, 'campaignctl.yaml'), `environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: Europe/Berlin\n${extraConfig}`);
  writeFileSync(path.join(root, 'campaigns', '_partials', 'footer.hbs'), 'Bye\n');
  for (let i = 0; i < 8; i++) writeFileSync(path.join(root, 'campaigns', `c${i}.yaml`), smsCampaign(`c${i}`, `Hello ${i}`));
  writeFileSync(path.join(root, 'campaigns', 'footed.yaml'), smsCampaign('footed', 'Hi {{> footer}}'));
  return root;
}
