/**
 * The connection settings campaignctl reads from the environment (docs/sandbox.md).
 * Secrets come only from here, never from YAML; `campaignctl.yaml` may set region and apiUrl.
 */
export const CONNECTION_ENV = {
  accountId: 'CLEVERTAP_ACCOUNT_ID',
  passcode: 'CLEVERTAP_PASSCODE',
  region: 'CLEVERTAP_REGION',
  apiUrl: 'CLEVERTAP_API_URL',
} as const;

export interface ConnectionSettings {
  accountId?: string;
  passcode?: string;
  region?: string;
  apiUrl?: string;
}

/** Empty variables count as unset. */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  return {
    accountId: get(CONNECTION_ENV.accountId),
    passcode: get(CONNECTION_ENV.passcode),
    region: get(CONNECTION_ENV.region),
    apiUrl: get(CONNECTION_ENV.apiUrl),
  };
}
