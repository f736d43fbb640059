/**
 * The shape of campaignctl.yaml as the loader reads it. schemas/config.schema.json is the source of
 * truth and validates the file before these types are trusted.
 */
export type Region = 'eu1' | 'in1' | 'sg1' | 'us1' | 'aps3' | 'mec1';
export type Provider = 'clevertap' | 'sandbox';

export interface QuietHours {
  start: string;
  end: string;
  timezone?: string;
}

export interface EnvironmentConfig {
  provider?: Provider;
  region?: Region;
  apiUrl?: string;
  accountTimezone?: string;
  credentials?: { accountIdEnv?: string; passcodeEnv?: string };
  state?: string;
  limits?: { concurrency?: number; createsPerSecond?: number };
  vars?: Record<string, unknown>;
  quietHours?: QuietHours;
  sandbox?: Record<string, unknown>;
}

export interface ProjectConfig {
  defaultEnvironment?: string;
  environments?: Record<string, EnvironmentConfig>;
  [key: string]: unknown;
}
