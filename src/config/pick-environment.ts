/**
 * The environment a load uses: chosen (--env, defaultEnvironment, the only one, sandbox) and
 * resolved, or a located diagnostic for a name campaignctl.yaml does not define (`chosen` false:
 * the load stops there, since every template check against a made-up environment would fail).
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectConfig } from './config-types.js';
import { CONNECTION_ENV } from '../clevertap/connection.js';
import { chooseEnvironment, KNOWN_REGIONS, maskUrlCredentials, resolveEnvironment, type ResolveContext, type ResolvedEnvironment } from './environment.js';
import { lookup, type PositionIndex } from './positions.js';
import { CONFIG_FILE } from './root.js';
import { closest } from '../diagnostics/suggest.js';

/** The codes of "no environment was chosen": the load stops there and loads no resources. */
export const NO_ENVIRONMENT_CODES: ReadonlySet<string> = new Set(['config.unknown-environment', 'config.no-default-environment']);

export function pickEnvironment(
  config: ProjectConfig,
  /** campaignctl.yaml's positions, asked for only when a diagnostic points into it. */
  positions: () => PositionIndex,
  requested: string | undefined,
  ctx: ResolveContext,
  diagnostics: Diagnostic[],
): { environmentName: string; environment: ResolvedEnvironment; chosen: boolean } {
  const region = unknownRegion(ctx.environ);
  if (region !== undefined) {
    diagnostics.push(diagnostic('config.unknown-region', { variable: CONNECTION_ENV.region, value: region, known: [...KNOWN_REGIONS], suggestion: closest(region, KNOWN_REGIONS) }));
  }
  const choice = chooseEnvironment(config, requested);
  if (choice.ok) {
    const password = statePassword(choice.name, choice.config, positions);
    if (password) diagnostics.push(password);
    return { environmentName: choice.name, environment: resolveEnvironment(choice.name, choice.config, ctx), chosen: true };
  }
  if (choice.problem === 'unknown') {
    // Named by --env: no place in a file. Named by defaultEnvironment: point at it.
    const s = requested === undefined ? lookup(positions(), '/defaultEnvironment')?.spans.value : undefined;
    const where = s ? { file: CONFIG_FILE, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } : {};
    diagnostics.push(
      diagnostic('config.unknown-environment', { name: choice.name, known: choice.known, suggestion: closest(choice.name, choice.known) }, where),
    );
    return { environmentName: choice.name, environment: resolveEnvironment(choice.name, {}, ctx), chosen: false };
  }
  const s = lookup(positions(), '/environments')?.spans.key;
  const where = s ? { file: CONFIG_FILE, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } : { file: CONFIG_FILE };
  diagnostics.push(diagnostic('config.no-default-environment', { known: choice.known }, where));
  return { environmentName: 'sandbox', environment: resolveEnvironment('sandbox', {}, ctx), chosen: false };
}


/**
 * CLEVERTAP_REGION when it names no CleverTap region: refused before any call, as the schema
 * refuses campaignctl.yaml's `region` (else `eu2` becomes a host name that fails at DNS).
 */
function unknownRegion(environ: Record<string, string | undefined>): string | undefined {
  const value = environ[CONNECTION_ENV.region]?.trim();
  if (!value) return undefined;
  return KNOWN_REGIONS.includes(value.toLowerCase() as (typeof KNOWN_REGIONS)[number]) ? undefined : value;
}

/**
 * A `state` URL in campaignctl.yaml that carries a password: refused (a secret committed with the
 * project). The password belongs in the environment: PGPASSWORD, ~/.pgpass or CAMPAIGNCTL_STATE.
 */
function statePassword(name: string, config: { state?: unknown }, positions: () => PositionIndex): Diagnostic | undefined {
  if (typeof config.state !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(config.state)) return undefined;
  let password: string;
  try {
    password = new URL(config.state).password;
  } catch {
    return undefined;
  }
  if (!password) return undefined;
  const s = lookup(positions(), `/environments/${name}/state`)?.spans.value;
  const where = s ? { file: CONFIG_FILE, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } : { file: CONFIG_FILE };
  return diagnostic('config.state-password', { environment: name, location: maskUrlCredentials(config.state) }, where);
}
