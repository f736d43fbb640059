/**
 * Views of the state store for `state list`, `state show`, `state rm` and `force-unlock`: text for
 * people, JSON documents for scripts (`--json`). Pure: they get data, return strings / objects.
 */
import type { Colors } from '../context.js';
import { commandLine, type CommandTarget } from '../../diagnostics/command-line.js';
import type { AppliedResource } from '../../model/applied.js';
import type { AuditEntry, JournalEntry, LockHolder } from '../../state/store.js';

const plain = (s: string) => s;

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

function short(commit: string | null): string {
  return commit ? commit.slice(0, 8) : '-';
}

export function statusColor(status: string, c: Colors | undefined): string {
  if (!c) return status;
  if (status === 'scheduled' || status === 'active') return c.cyan(status);
  if (status === 'running') return c.green(status);
  if (status === 'stopped') return c.yellow(status);
  return c.dim(status);
}

export interface StateListView {
  environment: string;
  location: string;
  serial: number;
  resources: readonly AppliedResource[];
  lock: LockHolder | null;
  openJournal: number;
}

export function stateListText(v: StateListView, c?: Colors): string {
  const dim = c?.dim ?? plain;
  const lines: string[] = [dim(`environment ${v.environment}, state ${v.location}, serial ${v.serial}`)];
  if (v.resources.length === 0) {
    lines.push('No resources in state.');
  } else {
    const rows = [
      ['ADDRESS', 'KIND', 'STATUS', 'CLEVERTAP ID', 'APPLIED AT', 'COMMIT'],
      ...v.resources.map((r) => [
        r.address,
        r.kind,
        r.status,
        r.remoteId === null ? '-' : String(r.remoteId),
        r.appliedAt,
        short(r.commit),
      ]),
    ];
    const text = table(rows);
    lines.push(c ? c.bold(text[0]!) : text[0]!);
    // Colour after padding so the columns stay aligned.
    text.slice(1).forEach((line, i) => {
      const r = v.resources[i]!;
      lines.push(c ? line.replace(` ${r.status} `, ` ${statusColor(r.status, c)} `) : line);
    });
    const protectedCount = v.resources.filter((r) => r.protect).length;
    lines.push(dim(`${v.resources.length} resource${v.resources.length === 1 ? '' : 's'}${protectedCount ? `, ${protectedCount} protected` : ''}`));
  }
  if (v.openJournal > 0) lines.push(`${v.openJournal} remote write${v.openJournal === 1 ? ' is' : 's are'} open in the journal (settled by the next plan/apply)`);
  if (v.lock) lines.push(`locked by ${v.lock.command} (pid ${v.lock.pid} on ${v.lock.host}, since ${v.lock.since}), lock id ${v.lock.id}`);
  return lines.join('\n');
}

export function stateListJson(v: StateListView): unknown {
  return {
    environment: v.environment,
    state: v.location,
    serial: v.serial,
    lock: v.lock,
    openJournal: v.openJournal,
    resources: v.resources,
  };
}

export interface StateShowView {
  environment: string;
  resource: AppliedResource;
  history: readonly AuditEntry[];
  journal: readonly JournalEntry[];
}

export function stateShowText(v: StateShowView, c?: Colors): string {
  const r = v.resource;
  const bold = c?.bold ?? plain;
  const field = (name: string, value: string) => `  ${(name + ':').padEnd(16)}${value}`;
  const lines = [
    bold(r.address),
    field('kind', r.kind),
    field('status', statusColor(r.status, c)),
    field('clevertap id', r.remoteId === null ? '-' : String(r.remoteId)),
    field('clevertap name', r.remoteName ?? '-'),
    field('scheduled for', r.scheduledFor ?? '-'),
    field('applied at', r.appliedAt),
    field('commit', r.commit ?? '- (not a git repository)'),
    field('author', r.author ?? '-'),
    field('file', r.file ?? '-'),
    field('labels', Object.keys(r.labels).length ? Object.entries(r.labels).map(([k, val]) => `${k}=${val}`).join(', ') : '-'),
    field('protect', r.protect ? 'yes' : 'no'),
    field('spec hash', r.specHash),
    '  spec (as applied):',
    ...JSON.stringify(r.spec, null, 2).split('\n').map((l) => '    ' + l),
  ];
  const open = v.journal.filter((j) => j.status === 'open');
  if (open.length > 0) {
    lines.push('  open journal rows:');
    for (const j of open) lines.push(`    ${j.id}  ${j.operation}  opened ${j.openedAt}`);
  }
  lines.push('  history (newest first):');
  if (v.history.length === 0) lines.push('    (none)');
  for (const h of v.history) {
    const detail = h.detail ? ' ' + describeDetail(h.detail) : '';
    lines.push(`    ${h.at}  ${h.command}  ${h.action}${h.outcome ? ` (${h.outcome})` : ''}${h.author ? `  by ${h.author}` : ''}${detail}`);
  }
  return lines.join('\n');
}

function describeDetail(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['remoteId', 'reason', 'error']) {
    const value = detail[key];
    if (value === undefined || value === null) continue;
    parts.push(`${key}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return parts.join(' ');
}

export function stateShowJson(v: StateShowView): unknown {
  return { environment: v.environment, resource: v.resource, journal: v.journal, history: v.history };
}

export function stateRmText(removed: AppliedResource, stillInYaml: boolean, target: CommandTarget): string {
  const lines = [`Removed ${removed.address} from state. Nothing was sent to CleverTap.`];
  if (removed.kind === 'Campaign' && removed.remoteId !== null) {
    const live = removed.status === 'scheduled' || removed.status === 'running';
    lines.push(
      `CleverTap campaign ${removed.remoteId} is untouched${live ? ` and may still be ${removed.status}; campaignctl no longer manages or stops it` : ''}.`,
    );
  }
  if (stillInYaml) {
    lines.push(
      `${removed.address} is still in the YAML: the next plan will create it again; remove it from campaigns/ or adopt the campaign again with ${commandLine(target, ['import', removed.address, String(removed.remoteId ?? 'ID')])}`,
    );
  }
  return lines.join('\n');
}

export function forceUnlockText(removed: LockHolder): string {
  return [
    `Removed lock ${removed.id}, held by:`,
    `  command:  ${removed.command}`,
    `  host:     ${removed.host}`,
    `  pid:      ${removed.pid}`,
    `  since:    ${removed.since}`,
    'Journal rows that run left open are settled by the next plan or apply (read back from CleverTap).',
  ].join('\n');
}
