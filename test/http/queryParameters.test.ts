// Query parameters are read from the URL as the caller wrote them: a repeated name stays repeated (the
// host's joined map would hide it), an unknown or misspelt one is refused, and `dryRun` is one plain flag.
import { HttpRequest } from '@azure/functions';

import type { ValidationError } from '../../src/domain';
import { fieldErrorsOf } from '../../src/domain';
import { parseDryRun, readDryRunQuery } from '../../src/http/dryRun';
import { optionalParameter, refuseUnknownParameters, requestQuery } from '../../src/http/queryParameters';

/** A request as the Functions host hands it over: the query map with repeated names joined by commas. */
function fromHost(search: string): HttpRequest {
  const url = new URL(`http://localhost/api/audit${search}`);
  const joined: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) joined[name] = url.searchParams.getAll(name).join(',');
  return new HttpRequest({ method: 'GET', url: url.href, query: joined });
}

function errorsOf(run: () => unknown): { field: string; reason: string }[] {
  try {
    run();
  } catch (error) {
    return (fieldErrorsOf(error) ?? []).map(({ field, reason }) => ({ field, reason }));
  }
  return [];
}

test('a repeated parameter, joined by the host into one value, is still seen as repeated', () => {
  const request = fromHost('?operation=create&operation=delete');
  expect(request.query.get('operation')).toBe('create,delete');
  expect(requestQuery(request).getAll('operation')).toEqual(['create', 'delete']);
  expect(errorsOf(() => optionalParameter(requestQuery(request), 'operation'))).toEqual([
    { field: 'operation', reason: 'must be given at most once' },
  ]);
});

test('unknown parameters are refused, each named, and the function key is always allowed', () => {
  const query = requestQuery(fromHost('?code=key&colour=red&size=2'));
  expect(errorsOf(() => refuseUnknownParameters(query, ['registry']))).toEqual([
    { field: 'colour', reason: 'unknown query parameter; allowed parameters are registry' },
    { field: 'size', reason: 'unknown query parameter; allowed parameters are registry' },
  ]);
  expect(errorsOf(() => refuseUnknownParameters(requestQuery(fromHost('?x')), []))).toEqual([
    { field: 'x', reason: 'unknown query parameter; this endpoint takes none' },
  ]);
  expect(errorsOf(() => refuseUnknownParameters(requestQuery(fromHost('?code=k')), []))).toEqual([]);
});

describe('dryRun', () => {
  test.each([
    ['', false],
    ['?dryRun', true],
    ['?dryRun=', true],
    ['?dryRun=true', true],
    ['?dryRun=false', false],
  ])('%s reads as %s', (search, expected) => {
    expect(parseDryRun(requestQuery(fromHost(search)))).toBe(expected);
  });

  test.each([
    ['?dryRun=yes', 'dryRun', 'must be true or false'],
    ['?dryRun=TRUE', 'dryRun', 'must be true or false'],
    ['?dryRun=true&dryRun=true', 'dryRun', 'must be given at most once'],
    ['?dryRun=true&dryRun=false', 'dryRun', 'must be given at most once'],
  ])('%s is refused', (search, field, reason) => {
    expect(errorsOf(() => parseDryRun(requestQuery(fromHost(search))))).toEqual([{ field, reason }]);
  });

  test.each([
    ['?dryrun=true'],
    ['?DryRun=true'],
    ['?dry-run=true'],
    ['?dry_run=1'],
    ['?dryRun=true&force=1'],
  ])('a change request with %s is refused, never read as a real change', (search) => {
    const errors: ValidationError[] = [];
    readDryRunQuery(requestQuery(fromHost(search)), errors);
    expect(errors.map((e) => e.reason)).toEqual(['unknown query parameter; allowed parameters are dryRun']);
  });
});
