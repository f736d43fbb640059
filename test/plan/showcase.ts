/**
 * One finalized plan that exercises every part of the views: each action, an irreversible create
 * with its estimate, a bulletin send, drift, a scheduled occurrence, a protected note, warnings.
 */
import { finalizePlan } from '../../src/plan/finalize.js';
import { plan } from '../../src/plan/plan.js';
import type { Estimate, PlanMeta, PlanResult } from '../../src/plan/types.js';
import { applied, bulletin, campaign, desired, inMinutes, input, message, remoteOf } from './builders.js';

export const META: PlanMeta = {
  environment: 'production',
  serial: 42,
  configHash: 'sha256:9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6',
  commit: '3b1f0c9d2e4a6b8c0d1e2f3a4b5c6d7e8f9a0b1c',
};

export function showcase(): PlanResult {
  const spring = campaign('spring-sale', {}, { file: 'campaigns/spring.yaml' });
  const springApplied = applied(spring, { remoteId: 1720000001 });
  const retired = applied(campaign('retired-promo'), { remoteId: 1720000002 });
  const finished = applied(campaign('january-recap'), { remoteId: 1720000003, status: 'completed', scheduledFor: inMinutes(-10_000) });
  const vip = applied(campaign('vip-forever'), { remoteId: 1720000004, protect: true });
  const sent = campaign('welcome-blast');
  const sentApplied = applied(sent, { remoteId: 1720000005, status: 'sent', scheduledFor: inMinutes(-600) });
  const drifted = campaign('easter-teaser');
  const driftedApplied = applied(drifted, { remoteId: 1720000006 });
  const ship = message('order-shipped');
  const album = bulletin('album-released', [
    { key: 'nova-launch', at: inMinutes(-20), name: 'Nova: new album', properties: { artist: 'Nova' } },
    { key: 'nova-tour', at: inMinutes(7 * 24 * 60), name: 'Nova: tour dates' },
  ]);

  const first = plan(
    input({
      desired: [
        campaign('summer-preview', { when: inMinutes(3 * 24 * 60) }),
        campaign('flash-sale', { when: 'now', guard: { maxAudience: 2_000_000 }, content: { title: 'Flash sale', body: '2 hours only' } }),
        campaign('spring-sale', { content: { title: 'Spring sale', body: 'Up to 60% off' }, devices: ['android', 'ios', 'web'] }, { file: 'campaigns/spring.yaml' }),
        campaign('welcome-blast', { content: { title: 'Welcome!', body: 'Edited after sending' } }),
        drifted,
        message('order-shipped', { content: { title: 'Your order {{data.orderId}} is on its way' } }),
        album,
        desired('Schedule', 'weekly-digest', { cron: '0 9 * * 1', timezone: 'Europe/Paris', send: { message: 'digest' } }),
      ],
      applied: [springApplied, retired, finished, vip, sentApplied, driftedApplied, applied(ship)],
      remote: [
        remoteOf(springApplied, 'pending'),
        remoteOf(retired, 'running'),
        remoteOf(finished, 'completed'),
        remoteOf(vip, 'pending'),
        remoteOf(sentApplied, 'completed'),
        remoteOf(driftedApplied, 'stopped'),
      ],
    }),
  );
  const estimates = new Map<string, Estimate | null>([
    ['campaign.flash-sale', { total: 1_234_567, byPlatform: { android: 800_000, ios: 434_567 } }],
    ['campaign.spring-sale', { total: 56_000, byPlatform: { android: 30_000, ios: 20_000, web: 6_000 } }],
    ['campaign.summer-preview', null],
  ]);
  const final = finalizePlan(first.plan, estimates);
  return { plan: final.plan, diagnostics: [...first.diagnostics, ...final.diagnostics] };
}
