/** A one-file project text: a Schedule (firing an ExternalTrigger) with the given cron and zone. */
export const scheduleYaml = (cron: string, timezone: string, extra = '') => `apiVersion: campaignctl/v1
kind: Schedule
metadata:
  name: s
spec:
  cron: "${cron}"
  timezone: ${timezone}${extra}
  trigger:
    name: t
    to: { identity: [u1] }
---
apiVersion: campaignctl/v1
kind: ExternalTrigger
metadata:
  name: t
spec:
  campaign_id: 1700000000
  identity: identity
`;
