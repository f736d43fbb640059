/**
 * campaignctl.yaml: parsed and checked like a resource file (syntax, guards, config schema), plus
 * the time zones it names. A missing or empty file is an empty config (implicit sandbox).
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectConfig } from './config-types.js';
import { parseFile } from './parse.js';
import { quickParse } from './quick-parse.js';
import { lookup, pointerOf } from './positions.js';
import type { PositionIndex } from './positions.js';
import { isKnownZone, knownZones } from './calendar.js';
import { schemaDiagnostics } from './schema-diagnostics.js';
import type { SchemaSet } from './schemas.js';
import type { IsValid } from './quick-validators.js';
import { CONFIG_FILE } from './root.js';
import { closest } from '../diagnostics/suggest.js';
import { isRecord } from '../model/record.js';

export interface CheckedConfig {
  config: ProjectConfig;
  /** False when the file has errors: its values are then used only where their types fit. */
  valid: boolean;
  /** Undefined when the quick lane read the file (no problem in it): ./locator.ts, configPositions, gives them. */
  positions: PositionIndex | undefined;
  diagnostics: Diagnostic[];
}

/**
 * `schemas` is asked for only when `isValid` (the quick validators, ./quick-validators.ts) rejects
 * the config, so a valid campaignctl.yaml compiles no schema.
 */
export function checkConfigFile(text: string | undefined, schemas: () => SchemaSet, isValid: IsValid = (w, v) => schemas().validator(w)(v) === true): CheckedConfig {
  const empty: CheckedConfig = { config: {}, valid: true, positions: new Map(), diagnostics: [] };
  if (text === undefined) return empty;
  const quick = quickConfig(text, isValid);
  if (quick) return quick;
  const parsed = parseFile(CONFIG_FILE, text);
  const diagnostics = [...parsed.diagnostics];
  const doc = parsed.documents[0];
  if (!doc) return { ...empty, valid: diagnostics.length === 0, diagnostics };
  for (const extra of parsed.documents.slice(1)) {
    diagnostics.push(
      diagnostic('config.multiple-documents', {}, { file: CONFIG_FILE, line: extra.line, column: extra.column, endLine: extra.line, endColumn: extra.column + 1 }),
    );
  }
  if (!doc.ok) return { config: {}, valid: false, positions: doc.positions, diagnostics };
  const place = { file: CONFIG_FILE, positions: doc.positions };
  if (!isValid('config', doc.value)) diagnostics.push(...schemaDiagnostics('config', doc.value, schemas(), place));
  const config = isRecord(doc.value) ? (doc.value as ProjectConfig) : {};
  diagnostics.push(...zoneDiagnostics(config, doc.positions));
  return { config, valid: diagnostics.length === 0, positions: doc.positions, diagnostics };
}

/**
 * A campaignctl.yaml the quick lane takes (./quick-parse.ts: one plain document, read with js-yaml)
 * that has no problem: no positions are needed, so yaml (~25 ms to load) stays unloaded. Anything
 * else, a problem included, goes through yaml for its positions.
 */
function quickConfig(text: string, isValid: IsValid): CheckedConfig | undefined {
  const parsed = quickParse(text);
  if (!parsed || !isRecord(parsed.value) || !isValid('config', parsed.value)) return undefined;
  const config = parsed.value as ProjectConfig;
  if (zoneDiagnostics(config, new Map()).length > 0) return undefined;
  return { config, valid: true, positions: undefined, diagnostics: [] };
}

function zoneDiagnostics(config: ProjectConfig, positions: PositionIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const envs = isRecord(config.environments) ? config.environments : {};
  for (const [name, env] of Object.entries(envs)) {
    if (!isRecord(env)) continue;
    const zones: [unknown, string[]][] = [
      [env.accountTimezone, ['environments', name, 'accountTimezone']],
      [isRecord(env.quietHours) ? env.quietHours.timezone : undefined, ['environments', name, 'quietHours', 'timezone']],
    ];
    for (const [zone, path] of zones) {
      if (typeof zone !== 'string' || zone === '' || isKnownZone(zone)) continue;
      const s = lookup(positions, pointerOf(path))?.spans.value;
      const where = s ? { file: CONFIG_FILE, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } : { file: CONFIG_FILE };
      out.push(diagnostic('time.invalid-zone', { zone, suggestion: closest(zone, knownZones()) }, where));
    }
  }
  return out;
}
