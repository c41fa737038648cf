import type { HttpRequest } from '@azure/functions';

import { ValidationError } from '../domain';

/** `?dryRun`, `?dryRun=true` or `?dryRun=false`; anything else is a 400 naming the parameter. */
export function parseDryRun(request: HttpRequest): boolean {
  const value = request.query.get('dryRun');
  if (value === null || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw new ValidationError('dryRun', 'must be true or false', value);
}
