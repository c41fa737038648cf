// The `dryRun` flag of the change routes: it decides whether anything changes, so anything but one
// plain true or false is refused rather than read as false, and so is any other query parameter.
import { collectErrors, ValidationError } from '../domain';
import { unknownParameterErrors } from './queryParameters';

export const DRY_RUN_PARAMETER = 'dryRun';

/** `?dryRun`, `?dryRun=true` or `?dryRun=false`; anything else (or more than one) is a 400 naming it. */
export function parseDryRun(params: URLSearchParams): boolean {
  const values = params.getAll(DRY_RUN_PARAMETER);
  if (values.length === 0) return false;
  if (values.length > 1) throw new ValidationError(DRY_RUN_PARAMETER, 'must be given at most once');
  const [value = ''] = values;
  if (value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw new ValidationError(DRY_RUN_PARAMETER, 'must be true or false', value);
}

/**
 * The query of a change route, whose only parameter is `dryRun`: its errors (an unknown or misspelt
 * parameter such as `dryrun`, a bad value) go into `errors`, to be reported with the rest of the request's.
 */
export function readDryRunQuery(params: URLSearchParams, errors: ValidationError[]): boolean {
  errors.push(...unknownParameterErrors(params, [DRY_RUN_PARAMETER]));
  return collectErrors(errors, false, () => parseDryRun(params));
}
