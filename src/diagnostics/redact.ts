/**
 * Last line of defence for secrets in text that leaves the process (errors, logs). The primary
 * defence is never putting them into messages; this catches what slips through.
 */
const registered = new Set<string>();

/** Remember a secret value (passcode, token) so that redactSecrets masks it anywhere. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join('***');
  // Credentials embedded in URLs: scheme://user:password@host
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi, '$1$2:***@');
  return out;
}
