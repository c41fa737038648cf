// Runs every benchmark module in this folder (or those named on the command line) and writes each result
// to bench/results/<name>.json. A benchmark module exports `name` and `run(options): Promise<result>`;
// `--quick` asks for a short run (the smallest fleet only), `--sizes=1000,3000` for chosen fleet sizes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchmarkOptions {
  quick: boolean;
  sizes?: number[];
}

interface BenchmarkModule {
  name: string;
  run(options: BenchmarkOptions): Promise<unknown>;
}

const isBenchmark = (value: unknown): value is BenchmarkModule =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as BenchmarkModule).name === 'string' &&
  typeof (value as BenchmarkModule).run === 'function';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const resultsDir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const args = process.argv.slice(2);
  const wanted = args.filter((a) => !a.startsWith('--'));
  const sizes = args
    .find((a) => a.startsWith('--sizes='))
    ?.slice('--sizes='.length)
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const options: BenchmarkOptions = {
    quick: args.includes('--quick'),
    ...(sizes === undefined || sizes.length === 0 ? {} : { sizes }),
  };
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'run.js')
    .filter((f) => wanted.length === 0 || wanted.includes(path.basename(f, '.js')))
    .sort();
  for (const file of files) {
    const loaded: unknown = await import(pathToFileURL(path.join(__dirname, file)).href);
    if (!isBenchmark(loaded)) {
      continue;
    }
    process.stdout.write(`Running benchmark ${loaded.name}...\n`);
    const started = Date.now();
    const result = await loaded.run(options);
    process.stdout.write(`${loaded.name} took ${Math.round((Date.now() - started) / 1000)} s\n`);
    const target = path.join(resultsDir, `${loaded.name}.json`);
    fs.writeFileSync(target, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\nWritten to ${target}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
