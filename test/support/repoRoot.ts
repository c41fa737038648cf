// The repository root: the Functions app the end-to-end tests serve (package.json `main`, host.json).
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
