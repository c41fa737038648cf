import { HttpRequest } from '@azure/functions';

import { preconditionHolds } from '../../src/domain';
import type { WritePrecondition } from '../../src/domain';
import { writePreconditionOf } from '../../src/http/preconditions';
import { validationErrorOf } from '../domain/thrown';

const request = (headers: Record<string, string>): HttpRequest =>
  new HttpRequest({ method: 'PUT', url: 'http://localhost/api/x', headers });

describe('writePreconditionOf', () => {
  test.each<[string, Record<string, string>, WritePrecondition | undefined]>([
    ['no condition', {}, undefined],
    ['If-None-Match: *', { 'if-none-match': '*' }, { kind: 'none-exists' }],
    ['If-Match: *', { 'if-match': '*' }, { kind: 'exists' }],
    ['one entity tag', { 'if-match': '"v3"' }, { kind: 'matches', etags: ['"v3"'] }],
    ['a list of entity tags', { 'if-match': '"v3", "v4"' }, { kind: 'matches', etags: ['"v3"', '"v4"'] }],
    ['a weak tag (never matches)', { 'if-match': 'W/"v3"' }, { kind: 'matches', etags: ['W/"v3"'] }],
  ])('%s', (_name, headers, expected) => {
    expect(writePreconditionOf(request(headers))).toEqual(expected);
  });

  test.each<[string, Record<string, string>, string]>([
    ['an unquoted tag', { 'if-match': 'v3' }, 'If-Match'],
    ['both headers', { 'if-match': '"v3"', 'if-none-match': '*' }, 'If-None-Match'],
    ['If-None-Match with a tag', { 'if-none-match': '"v3"' }, 'If-None-Match'],
    ['a header too long to be a list of tags', { 'if-match': `"${'v'.repeat(2000)}"` }, 'If-Match'],
  ])('refused: %s', (_name, headers, field) => {
    expect(validationErrorOf(() => writePreconditionOf(request(headers))).field).toBe(field);
  });
});

describe('preconditionHolds', () => {
  test.each<[WritePrecondition, { version: number } | undefined, boolean]>([
    [{ kind: 'none-exists' }, undefined, true],
    [{ kind: 'none-exists' }, { version: 1 }, false],
    [{ kind: 'exists' }, undefined, false],
    [{ kind: 'exists' }, { version: 7 }, true],
    [{ kind: 'matches', etags: ['"v7"'] }, { version: 7 }, true],
    [{ kind: 'matches', etags: ['"v6"', '"v7"'] }, { version: 7 }, true],
    [{ kind: 'matches', etags: ['"v6"'] }, { version: 7 }, false],
    [{ kind: 'matches', etags: ['W/"v7"'] }, { version: 7 }, false],
    [{ kind: 'matches', etags: ['"v7"'] }, undefined, false],
  ])('%j against %j: %s', (precondition, current, holds) => {
    expect(preconditionHolds(precondition, current)).toBe(holds);
  });
});
