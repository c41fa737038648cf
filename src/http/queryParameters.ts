// Reading URL query parameters strictly: a misspelt or repeated parameter is an error, never ignored,
// so a typo cannot silently widen a query or turn a dry run into a real change.
import type { HttpRequest } from '@azure/functions';

import { throwIfAny, truncate, ValidationError } from '../domain';

/** Sent by callers who pass the function key in the URL; the Functions host checks it, not the handler. */
export const FUNCTION_KEY_PARAMETER = 'code';

/**
 * The request's query parameters as the caller wrote them. The Functions host hands the worker a map in
 * which a repeated name (in any letter case) has its values joined with commas (`?a=1&A=2` arrives as
 * one `a` of `1,2`), which would hide the repetition; the URL keeps every occurrence.
 */
export function requestQuery(request: HttpRequest): URLSearchParams {
  return new URL(request.url).searchParams;
}

/** Throws one error per unknown parameter: a route that takes none of them must not ignore them. */
export function refuseUnknownParameters(params: URLSearchParams, allowed: readonly string[]): void {
  throwIfAny(unknownParameterErrors(params, allowed));
}

/** One error per parameter name not in `allowed` (the function key's `code` is always allowed). */
export function unknownParameterErrors(
  params: URLSearchParams,
  allowed: readonly string[],
): ValidationError[] {
  const names = [...new Set(params.keys())];
  return names
    .filter((name) => name !== FUNCTION_KEY_PARAMETER && !allowed.includes(name))
    .map(
      (name) =>
        new ValidationError(
          truncate(name),
          allowed.length === 0
            ? 'unknown query parameter; this endpoint takes none'
            : `unknown query parameter; allowed parameters are ${allowed.join(', ')}`,
        ),
    );
}

/** The parameter's one value, or undefined when absent; repeated or empty values are errors. */
export function optionalParameter(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new ValidationError(name, 'must be given at most once');
  const [value = ''] = values;
  if (value === '') throw new ValidationError(name, 'must not be empty; leave the parameter out instead');
  return value;
}

export function requiredParameter(params: URLSearchParams, name: string): string {
  const value = optionalParameter(params, name);
  if (value === undefined) throw new ValidationError(name, 'is required');
  return value;
}

/** A free-text value bounded in length, so a filter stays a filter. */
export function boundedText(value: string, name: string, maxLength: number): string {
  if (value.length > maxLength) {
    throw new ValidationError(name, `must be at most ${maxLength} characters`, value);
  }
  return value;
}

/** A whole number in [min, max], written in plain digits. */
export function integerInRange(value: string, name: string, min: number, max: number): number {
  const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) {
    throw new ValidationError(name, `must be a whole number from ${min} to ${max}`, value);
  }
  return number;
}
