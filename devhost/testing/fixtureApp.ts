// The small Functions apps the devhost's own tests and the benchmarks serve: `http` (HTTP and timer
// triggers) and `durable` (orchestrations and activities), kept in this package's test/fixtures.
import * as fs from 'node:fs';
import * as path from 'node:path';

function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    dir = path.dirname(dir);
  }
  return dir;
}

export const fixtureApp = (name: 'http' | 'durable'): string =>
  path.join(packageRoot(), 'test', 'fixtures', name);
