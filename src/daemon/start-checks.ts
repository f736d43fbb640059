/**
 * What is refused before anything opens: an address others can reach without an API token (anyone
 * could then ask for reconciles and sends).
 */
import { isIP } from 'node:net';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1';
}

export function listenProblems(host: string, apiToken: string | null): Diagnostic[] {
  return !isLoopback(host) && !apiToken ? [diagnostic('watch.open-without-token', { host })] : [];
}
