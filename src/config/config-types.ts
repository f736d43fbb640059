/**
 * The shape of campaignctl.yaml, generated from schemas/config.schema.json (the source of truth,
 * which validates the file before these types are trusted), plus the names the loader uses.
 */
import type { EnvironmentConfig } from '../model/specs.js';

export type { EnvironmentConfig, ProjectConfig, QuietHoursConfig, SandboxSettings } from '../model/specs.js';
export type Region = NonNullable<EnvironmentConfig['region']>;
export type Provider = EnvironmentConfig['provider'];
