/**
 * Benchmark dispatcher: `npm run bench -- <name> [args]` (= `node dist/bench/run.js <name>`).
 * Each benchmark is a module exporting `run(args): Promise<number>` (the exit code). Add one line
 * per benchmark below.
 */
type Bench = { run(args: string[]): Promise<number> };

const benches: Record<string, () => Promise<Bench>> = {
  client: () => import('./client.js'),
  send: () => import('./send.js'),
  plan: () => import('./plan.js'),
  schedules: () => import('./schedules.js'),
  'index-update': () => import('./index-update.js'),
  watch: () => import('./watch.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <name>\nbenchmarks: ${Object.keys(benches).join(', ')}\n`);
  process.exitCode = 1;
} else {
  process.exitCode = await (await load()).run(args);
}
