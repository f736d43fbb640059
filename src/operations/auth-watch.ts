/**
 * An authentication or authorization failure from CleverTap (401, 403) is fatal in every command:
 * a wrong passcode must never look like a plan, "No changes." or a partly failed send. connect.ts
 * hands out the client through watchAuth: the first refusal is noted, every later call through that
 * client fails at once without being sent, and the command ends with one error naming the
 * environment and the variables to check. Operations that return a plan or a result take the
 * refusal first (takeRefusal) and return it as theirs instead; the CLI's action()
 * (../cli/context.ts) reports a refusal no operation reported, and exits 1.
 */
import type { CleverTapClient } from '../clevertap/client.js';
import { CleverTapError } from '../clevertap/errors.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectHead } from '../config/project.js';

export interface AuthWatch {
  /** The client to use: the same operations, refused without a request once CleverTap refused the credentials. */
  client: CleverTapClient;
  /** The first refusal, as the error the command ends with; null while there was none. */
  refusal(): Diagnostic | null;
}

/** Refusals the command did not report itself yet (action() reports them). */
const unreported = new Set<AuthWatch>();
const reported = new WeakSet<AuthWatch>();

export function watchAuth(client: CleverTapClient, project: ProjectHead): AuthWatch {
  let first: CleverTapError | null = null;
  const env = project.environment;
  const watch: AuthWatch = {
    client: new Proxy(client, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (prop === 'close') return value.bind(target);
        return async (...args: unknown[]) => {
          if (first) throw notSent(first);
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (err) {
            if (err instanceof CleverTapError && err.kind === 'auth' && !first) {
              first = err;
              if (!reported.has(watch)) unreported.add(watch);
            }
            throw err;
          }
        };
      },
    }),
    refusal: () =>
      first &&
      diagnostic('clevertap.auth-failed', {
        environment: project.environmentName,
        sandbox: env.provider === 'sandbox',
        endpoint: first.endpoint,
        httpStatus: first.httpStatus,
        detail: first.error,
        accountIdEnv: env.credentials.accountIdEnv,
        passcodeEnv: env.credentials.passcodeEnv,
      }),
  };
  return watch;
}

/** A later call after a refusal: failed as the refusal did, never sent. */
function notSent(first: CleverTapError): CleverTapError {
  return new CleverTapError({
    endpoint: first.endpoint,
    family: first.family,
    kind: 'auth',
    httpStatus: null,
    code: null,
    error: 'not sent: CleverTap refused the credentials earlier in this run',
    retryable: false,
    ambiguous: false,
    attempts: 0,
  });
}

/** The refusal, once a command reported it itself (so the end-of-run report does not repeat it). */
export function takeRefusal(watch: AuthWatch): Diagnostic | null {
  const refusal = watch.refusal();
  if (!refusal) return null;
  reported.add(watch);
  unreported.delete(watch);
  return refusal;
}

/** The refusals no command reported (each once); action() prints them last and exits 1. */
export function takeUnreportedRefusals(): Diagnostic[] {
  const out = [...unreported].map((w) => w.refusal()!).filter(Boolean);
  for (const w of unreported) reported.add(w);
  unreported.clear();
  return out;
}
