/**
 * The deployment examples (examples/systemd, examples/docker, examples/kubernetes) are read the
 * way their tools read them and held to what the daemon really does: the probes ask paths the
 * daemon serves, the flags are ones the CLI declares, the secrets are the variables the code reads,
 * nothing runs as root, one daemon per SQLite state, and shutdown gets longer than the daemon's
 * shutdown timeout. A renamed flag or endpoint fails here instead of in someone's cluster.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONNECTION_ENV } from '../../src/clevertap/connection.js';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../../src/daemon/options.js';
import { parseDuration } from '../../src/time/duration.js';
import { REPO } from '../cli/cli-run.js';
import { code, flagsOf, optionsOf } from './cli-flags.js';

const EXAMPLES = path.join(REPO, 'examples');
const read = (...p: string[]) => readFileSync(path.join(REPO, ...p), 'utf8');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

const SRC = tsFiles(path.join(REPO, 'src')).map(code).join('\n');
const DAEMON_HTTP = tsFiles(path.join(REPO, 'src', 'daemon', 'http')).map(code).join('\n');

/** The GET paths the daemon's HTTP layer registers. */
const servedPaths = new Set([...DAEMON_HTTP.matchAll(/\.get\(\s*'([^']+)'/g)].map((m) => m[1]!));

/** A variable the code reads: outside comments, a string literal of its own (`'NAME'`) or a property read (`environ.NAME`). */
function readByCode(name: string): boolean {
  return new RegExp(`['"\`]${name}['"\`]|\\.${name}\\b`).test(SRC);
}

const SECRET_VARS = [CONNECTION_ENV.accountId, CONNECTION_ENV.passcode, 'CAMPAIGNCTL_API_TOKEN', 'CAMPAIGNCTL_WEBHOOK_SECRET'];
const SHUTDOWN_S = DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000;

function checkCommandLine(args: string[]): void {
  const [command, ...rest] = args;
  const known = optionsOf(command!);
  expect([...flagsOf(rest).keys()].filter((f) => !known.has(f)), `flags ${command} does not declare`).toEqual([]);
  const flags = flagsOf(rest);
  const timeout = flags.get('--shutdown-timeout');
  if (typeof timeout === 'string') expect(parseDuration(timeout), '--shutdown-timeout').toBeDefined();
}

/** The shutdown timeout a watch command line runs with, in seconds. */
function shutdownOf(args: string[]): number {
  const t = flagsOf(args).get('--shutdown-timeout');
  return typeof t === 'string' ? parseDuration(t)! / 1000 : SHUTDOWN_S;
}

describe('the code the examples are checked against', () => {
  it('reads every secret variable and serves the probe paths (else the checks below prove nothing)', () => {
    for (const v of SECRET_VARS) expect(readByCode(v), v).toBe(true);
    expect(servedPaths.has('/healthz') && servedPaths.has('/readyz')).toBe(true);
    expect(optionsOf('watch').has('--listen')).toBe(true);
  });
});

describe('examples/kubernetes', () => {
  const dir = path.join(EXAMPLES, 'kubernetes');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => {
        expect(d.errors, f).toEqual([]);
        return d.toJS() as any;
      }),
    );
  const one = (kind: string) => {
    const found = docs.filter((d) => d.kind === kind);
    expect(found, kind).toHaveLength(1);
    return found[0];
  };
  const secret = one('Secret');
  const pvc = one('PersistentVolumeClaim');
  const deployment = one('Deployment');
  const cronJob = one('CronJob');
  const service = one('Service');
  const pod = deployment.spec.template.spec;
  const watch = pod.containers[0];

  it('every document names its apiVersion, kind and name', () => {
    expect(docs.length).toBeGreaterThanOrEqual(5);
    for (const d of docs) expect([typeof d.apiVersion, typeof d.kind, typeof d.metadata?.name]).toEqual(['string', 'string', 'string']);
  });

  it('the Secret holds the passcode, the API token and the webhook secret under the names the code reads', () => {
    const keys = Object.keys({ ...secret.stringData, ...secret.data }).sort();
    expect(keys).toEqual([...SECRET_VARS].sort());
    for (const k of keys) expect(readByCode(k), k).toBe(true);
  });

  it('the production environment of campaignctl.yaml reads its credentials from the Secret\'s names', () => {
    const config = parseAllDocuments(read('campaignctl.yaml'))[0]!.toJS() as any;
    const credentials = config.environments.production.credentials;
    expect([credentials.accountIdEnv, credentials.passcodeEnv]).toEqual([CONNECTION_ENV.accountId, CONNECTION_ENV.passcode]);
  });

  it('the Deployment: one replica, Recreate, the state on the claim, the secrets from the Secret', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
    const stateMount = watch.volumeMounts.find((m: any) => m.name === pod.volumes[0].name);
    expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
    const state = watch.env.find((e: any) => e.name === 'CAMPAIGNCTL_STATE').value as string;
    expect(state.startsWith(stateMount.mountPath + '/')).toBe(true);
    expect(watch.envFrom).toEqual([{ secretRef: { name: secret.metadata.name } }]);
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
  });

  it('runs `watch` with flags the CLI declares, listening beyond loopback (the Secret gives the token it then needs)', () => {
    expect(watch.args[0]).toBe('watch');
    checkCommandLine(watch.args);
    const listen = flagsOf(watch.args).get('--listen') as string;
    const port = Number(listen.split(':').pop());
    expect(watch.ports).toContainEqual({ name: 'http', containerPort: port });
    expect(listen.startsWith('0.0.0.0:')).toBe(true);
    expect(Object.keys(secret.stringData)).toContain('CAMPAIGNCTL_API_TOKEN');
  });

  it('liveness asks /healthz and readiness /readyz, paths the daemon serves, on its port', () => {
    expect(watch.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(watch.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    for (const probe of [watch.livenessProbe, watch.readinessProbe, watch.startupProbe].filter(Boolean)) {
      expect(servedPaths.has(probe.httpGet.path), probe.httpGet.path).toBe(true);
    }
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it('gives shutdown longer than the daemon\'s shutdown timeout, and runs as a non-root user', () => {
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(shutdownOf(watch.args));
    for (const spec of [pod, cronJob.spec.jobTemplate.spec.template.spec]) {
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      for (const c of spec.containers) expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    }
  });

  it('the CronJob alternative runs `run-due` on the same state and secrets, never two at once', () => {
    const spec = cronJob.spec.jobTemplate.spec.template.spec;
    const c = spec.containers[0];
    expect(c.args[0]).toBe('run-due');
    checkCommandLine(c.args);
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(c.envFrom).toEqual(watch.envFrom);
    expect(c.env).toEqual(watch.env);
    expect(spec.volumes).toEqual(pod.volumes);
  });
});

/** A unit file as systemd reads it: sections of `Key=value` lines (a key may repeat). */
function parseUnit(text: string): Map<string, [string, string][]> {
  const sections = new Map<string, [string, string][]>();
  let current: [string, string][] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const section = /^\[(\w+)\]$/.exec(t);
    if (section) sections.set(section[1]!, (current = []));
    else {
      const eq = t.indexOf('=');
      expect(eq, `not Key=value: ${t}`).toBeGreaterThan(0);
      current.push([t.slice(0, eq), t.slice(eq + 1)]);
    }
  }
  return sections;
}

describe('examples/systemd/campaignctl-watch.service', () => {
  const unit = parseUnit(read('examples', 'systemd', 'campaignctl-watch.service'));
  const service = unit.get('Service')!;
  const get = (key: string) => service.filter(([k]) => k === key).map(([, v]) => v);

  it('has the three sections and starts `watch` by an absolute path with flags the CLI declares', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    const [exec, ...args] = get('ExecStart')[0]!.split(/\s+/);
    expect(path.isAbsolute(exec!)).toBe(true);
    expect(args[0]).toBe('watch');
    checkCommandLine(args);
  });

  it('runs as its own user, restarts on failure, stops by SIGTERM with more time than the shutdown timeout', () => {
    expect(get('User')).toHaveLength(1);
    expect(['root', '0']).not.toContain(get('User')[0]);
    expect(get('Restart')).toEqual(['on-failure']);
    expect(get('KillSignal')).toEqual(['SIGTERM']);
    const args = get('ExecStart')[0]!.split(/\s+/).slice(1);
    expect(parseDuration(get('TimeoutStopSec')[0]!)! / 1000).toBeGreaterThan(shutdownOf(args));
  });

  it('takes secrets from an EnvironmentFile, never inline', () => {
    expect(get('EnvironmentFile')).toHaveLength(1);
    const inline = get('Environment').join(' ') + ' ' + get('ExecStart').join(' ');
    for (const v of SECRET_VARS) expect(inline).not.toContain(v);
  });
});

describe('examples/docker/Dockerfile', () => {
  const text = read('examples', 'docker', 'Dockerfile').replace(/\\\n/g, ' ');
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const instr = (name: string) => lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
  const lastStage = lines.slice(lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true));
  const json = (s: string) => JSON.parse(s) as string[];

  it('builds on node:20-slim and installs only production dependencies into the image that runs', () => {
    for (const from of instr('FROM')) expect(from.split(/\s+/)[0]).toBe('node:20-slim');
    expect(lastStage.some((l) => /^RUN .*npm ci --omit=dev/.test(l))).toBe(true);
  });

  it('copies only files that exist in the repository', () => {
    const sources = instr('COPY')
      .filter((c) => !c.startsWith('--from'))
      .flatMap((c) => c.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    expect(sources.filter((s) => !existsSync(path.join(REPO, s)))).toEqual([]);
  });

  it('runs as a non-root user, exposes 8080 and listens there beyond loopback, checking /healthz', () => {
    const users = lastStage.filter((l) => l.startsWith('USER ')).map((l) => l.slice(5).trim());
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
    expect(lastStage.findIndex((l) => l.startsWith('USER '))).toBeLessThan(lastStage.findIndex((l) => l.startsWith('CMD ')));
    expect(instr('EXPOSE')).toEqual(['8080']);
    const cmd = json(instr('CMD')[0]!);
    expect(cmd[0]).toBe('watch');
    checkCommandLine(cmd);
    expect(flagsOf(cmd).get('--listen')).toBe('0.0.0.0:8080');
    const health = instr('HEALTHCHECK')[0]!;
    expect(health).toContain('http://127.0.0.1:8080/healthz');
    expect(servedPaths.has('/healthz')).toBe(true);
    expect(json(instr('ENTRYPOINT')[0]!)).toEqual(['node', `/app/${JSON.parse(read('package.json')).bin.campaignctl}`]);
  });
});
