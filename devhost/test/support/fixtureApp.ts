// The small Functions apps under test/fixtures that the devhost tests serve.
import * as path from 'node:path';

export const fixtureApp = (name: string): string => path.join(__dirname, '..', 'fixtures', name);
