/**
 * The emulator's account: campaigns, recorded sends, and the dashboard-only objects (External
 * Trigger campaign ids, business events, custom control groups). In memory, or mirrored to a JSON
 * file after every change (temp file + rename, so a crash never leaves half a file) so that the
 * embedded sandbox keeps its campaigns between CLI runs.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hash32 } from './random.js';

export type CampaignStatus = 'pending' | 'running' | 'completed' | 'stopped';

export interface StoredCampaign {
  id: number;
  name: string;
  targetMode: string;
  createdAt: string;
  /** When it starts sending (ISO). */
  startsAt: string;
  estimates: Record<string, number>;
  /** Reach used for the report, also when estimates were skipped. */
  audience: number;
  stoppedAt: string | null;
  stoppedBy: 'api' | 'dashboard' | null;
  /** Set by the test hook "mark completed"; wins over the clock. */
  completedAt: string | null;
  /** Report numbers given with "mark completed". */
  result: { sent: number; clicked: number } | null;
  body: Record<string, unknown>;
}

export interface SendRecord {
  seq: number;
  at: string;
  kind: 'identity' | 'external-trigger' | 'raise';
  endpoint: string;
  identities: number;
  body: unknown;
}

interface DataFile {
  version: 1;
  lastId: number;
  sendSeq: number;
  clockOffsetMs: number;
  campaigns: StoredCampaign[];
  sends: SendRecord[];
  externalTriggers: string[];
  businessEvents: string[];
  controlGroups: string[];
}

/** A data file that exists but cannot be read as the emulator's: a user problem, not a bug. */
export class SandboxDataFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`sandbox data file ${file}: ${reason}`);
    this.name = 'SandboxDataFileError';
  }
}

export interface StoreSeed {
  externalTriggers?: readonly (string | number)[];
  businessEvents?: readonly string[];
  controlGroups?: readonly string[];
}

export class SandboxStore {
  readonly #file: string | undefined;
  readonly #sendLogLimit: number;
  #data: DataFile;
  readonly #seed: StoreSeed;
  /** Modification stamp of the file as we last wrote or read it. */
  #stamp = '';

  constructor(opts: { dataFile?: string; seed: StoreSeed; sendLogLimit: number }) {
    this.#file = opts.dataFile;
    this.#sendLogLimit = opts.sendLogLimit;
    this.#seed = opts.seed;
    this.#data = (this.#file && readDataFile(this.#file)) || emptyData();
    this.#applySeed();
    this.save();
  }

  get clockOffsetMs(): number {
    return this.#data.clockOffsetMs;
  }

  set clockOffsetMs(ms: number) {
    this.#data.clockOffsetMs = ms;
    this.save();
  }

  get externalTriggers(): ReadonlySet<string> {
    return new Set(this.#data.externalTriggers);
  }
  get businessEvents(): ReadonlySet<string> {
    return new Set(this.#data.businessEvents);
  }
  get controlGroups(): ReadonlySet<string> {
    return new Set(this.#data.controlGroups);
  }

  register(kind: 'externalTriggers' | 'businessEvents' | 'controlGroups', values: readonly (string | number)[]): void {
    const set = new Set(this.#data[kind]);
    for (const v of values) set.add(String(v).trim());
    this.#data[kind] = [...set].sort();
    this.save();
  }

  /** Campaign ids are 10-digit, epoch-based like CleverTap's (§5), and strictly increasing. */
  nextCampaignId(now: Date): number {
    const id = Math.max(this.#data.lastId + 1, Math.floor(now.getTime() / 1000), 1_000_000_000);
    this.#data.lastId = id;
    return id;
  }

  addCampaign(c: StoredCampaign): void {
    this.#data.campaigns.push(c);
    this.save();
  }

  campaigns(): readonly StoredCampaign[] {
    return this.#data.campaigns;
  }

  campaign(id: number): StoredCampaign | undefined {
    return this.#data.campaigns.find((c) => c.id === id);
  }

  updateCampaign(id: number, change: Partial<StoredCampaign>): void {
    const c = this.campaign(id);
    if (!c) return;
    Object.assign(c, change);
    this.save();
  }

  recordSend(s: Omit<SendRecord, 'seq'>): SendRecord {
    const record = { seq: ++this.#data.sendSeq, ...s };
    this.#data.sends.push(record);
    if (this.#data.sends.length > this.#sendLogLimit) this.#data.sends.splice(0, this.#data.sends.length - this.#sendLogLimit);
    this.save();
    return record;
  }

  sends(): readonly SendRecord[] {
    return this.#data.sends;
  }

  /** Back to an empty account with only the configured dashboard objects. */
  reset(): void {
    this.#data = emptyData();
    this.#applySeed();
    this.save();
  }

  save(): void {
    if (!this.#file) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.#data, null, 1));
    renameSync(tmp, this.#file);
    this.#stamp = fileStamp(this.#file);
  }

  /**
   * Picks up changes another process made to the data file (two CLI commands, or the daemon and
   * a command, each with an embedded sandbox on the same file). Called before each request; the
   * last writer still wins a true race, which is acceptable for a local emulator.
   */
  refresh(): void {
    if (!this.#file) return;
    const stamp = fileStamp(this.#file);
    if (stamp === this.#stamp || stamp === '') return;
    const data = readDataFile(this.#file);
    if (data) this.#data = data;
    this.#stamp = stamp;
  }

  #applySeed(): void {
    const merge = (have: string[], add: readonly (string | number)[] | undefined) =>
      [...new Set([...have, ...(add ?? []).map((v) => String(v).trim())])].sort();
    this.#data.externalTriggers = merge(this.#data.externalTriggers, this.#seed.externalTriggers);
    this.#data.businessEvents = merge(this.#data.businessEvents, this.#seed.businessEvents);
    this.#data.controlGroups = merge(this.#data.controlGroups, this.#seed.controlGroups);
  }
}

/** Derived on every read from the (movable) clock; stop and "mark completed" freeze it. */
export function campaignStatus(c: StoredCampaign, now: Date, completeAfterMs: number): CampaignStatus {
  return campaignStatusAt(c, Date.parse(c.startsAt), now.getTime(), completeAfterMs);
}

/** campaignStatus with the start already parsed (a list reads every campaign: ./api.ts keeps each start parsed). */
export function campaignStatusAt(c: StoredCampaign, startMs: number, nowMs: number, completeAfterMs: number): CampaignStatus {
  if (c.completedAt) return 'completed';
  if (c.stoppedAt) return 'stopped';
  if (nowMs >= startMs + completeAfterMs) return 'completed';
  if (nowMs >= startMs) return 'running';
  return 'pending';
}

/** Report numbers: as given when marked completed, else the reach and a stable click share. */
export function campaignResult(c: StoredCampaign): { sent: number; clicked: number } {
  if (c.result) return c.result;
  const sent = c.audience;
  const clickShare = 0.05 + (hash32(`clicks|${c.id}`) % 26) / 100;
  return { sent, clicked: Math.floor(sent * clickShare) };
}

function emptyData(): DataFile {
  return {
    version: 1,
    lastId: 0,
    sendSeq: 0,
    clockOffsetMs: 0,
    campaigns: [],
    sends: [],
    externalTriggers: [],
    businessEvents: [],
    controlGroups: [],
  };
}

function fileStamp(file: string): string {
  try {
    const st = statSync(file);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return '';
  }
}

function readDataFile(file: string): DataFile | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SandboxDataFileError(file, (err as Error).message);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SandboxDataFileError(file, 'not valid JSON (delete it to start with an empty sandbox)');
  }
  const d = data as Partial<DataFile> | null;
  if (!d || d.version !== 1 || !Array.isArray(d.campaigns) || !Array.isArray(d.sends)) {
    throw new SandboxDataFileError(file, 'not a sandbox data file of version 1 (delete it to start with an empty sandbox)');
  }
  return { ...emptyData(), ...d } as DataFile;
}
