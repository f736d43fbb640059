/**
 * The daemon's log: JSON lines (pino) on stdout, or pino-pretty for a person (--log-format
 * pretty). Fields that could carry a secret or a recipient's data are censored by path, and every
 * message goes through redactSecrets (the passcode and tokens registered as secrets).
 */
import { pino, type Logger } from 'pino';
import { redactSecrets } from '../diagnostics/redact.js';

const REDACTED_PATHS = [
  'token',
  'passcode',
  'secret',
  'data',
  'authorization',
  '*.token',
  '*.passcode',
  '*.secret',
  '*.data',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'headers.authorization',
];

export async function createLogger(format: 'json' | 'pretty', destination: NodeJS.WritableStream = process.stdout, level = 'info'): Promise<Logger> {
  const options = {
    level,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)));
      },
    },
  };
  if (format === 'pretty') {
    // Loaded only when asked for: JSON lines are the default and need none of it.
    const { default: pretty } = await import('pino-pretty');
    return pino(options, pretty({ destination: destination as NodeJS.WritableStream & { fd?: number }, colorize: false, sync: true }));
  }
  return pino(options, destination);
}
