// Every failure becomes a bounded problem+json answer: at most 20 field errors with a count of the rest,
// 413 for a body past its limit, 415 for a body that is not JSON, and 503 with Retry-After when the
// storage behind the audit trail or the orchestration engine cannot be reached.
import { InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';

import { EngineUnavailableError } from '../../src/app/operations/operations.useCases';
import { AuditUnavailableError } from '../../src/azure/auditStore';
import { ValidationError, ValidationErrors } from '../../src/domain';
import { toProblemResponse } from '../../src/http/handler';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../src/http/requestBody';

const quiet = (): InvocationContext =>
  new InvocationContext({ logHandler: () => undefined, invocationId: 'inv-1' });

function answer(error: unknown): {
  status?: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  const response: HttpResponseInit = toProblemResponse(error, quiet());
  return {
    status: response.status,
    headers: response.headers as Record<string, string>,
    body: JSON.parse(response.body as string) as Record<string, unknown>,
  };
}

test('a refusal with many bad fields lists the first 20 and counts the rest', () => {
  const errors = Array.from({ length: 137 }, (_, i) => new ValidationError(`field${i}`, 'unknown field'));
  const { status, body } = answer(new ValidationErrors(errors));
  expect(status).toBe(400);
  expect(body.errors).toHaveLength(20);
  expect((body.errors as { field: string }[])[19]).toEqual({ field: 'field19', reason: 'unknown field' });
  expect(body.omittedErrors).toBe(117);
});

test('a refusal with 20 bad fields or fewer counts nothing', () => {
  const errors = Array.from({ length: 20 }, (_, i) => new ValidationError(`f${i}`, 'bad'));
  expect(answer(new ValidationErrors(errors)).body).not.toHaveProperty('omittedErrors');
});

test('listed field names and reasons are shortened', () => {
  const { body } = answer(new ValidationError('f'.repeat(5000), 'r'.repeat(5000)));
  const [listed] = body.errors as { field: string; reason: string }[];
  expect(listed!.field.length).toBeLessThanOrEqual(301);
  expect(listed!.reason.length).toBeLessThanOrEqual(301);
});

test('a body past its limit is answered 413 payload-too-large, naming the limit', () => {
  expect(answer(new PayloadTooLargeError(65536))).toMatchObject({
    status: 413,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: 'urn:acr-replica-guard:problem:payload-too-large', status: 413, limitBytes: 65536 },
  });
});

test('a body in another media type is answered 415 unsupported-media-type', () => {
  expect(answer(new UnsupportedMediaTypeError('application/json'))).toMatchObject({
    status: 415,
    body: { type: 'urn:acr-replica-guard:problem:unsupported-media-type', status: 415 },
  });
});

describe('storage that cannot be reached is a 503 with Retry-After, never a 500', () => {
  const axiosLike = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7071'), { isAxiosError: true });
  test.each([
    ['the audit trail', new AuditUnavailableError(new Error('ECONNREFUSED')), 'audit-unavailable'],
    [
      'the engine, as the status lookup reports it',
      new EngineUnavailableError(new Error('x')),
      'engine-unavailable',
    ],
    [
      'the engine, as the durable client reports an unexpected answer',
      new Error('The operation failed with an unexpected status code: 500. Details: ""'),
      'engine-unavailable',
    ],
    ['the engine, as the durable client reports a failed connection', axiosLike, 'engine-unavailable'],
  ])('%s', (_what, error, type) => {
    const { status, headers, body } = answer(error);
    expect(status).toBe(503);
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    expect(body.type).toBe(`urn:acr-replica-guard:problem:${type}`);
  });

  test('an unexpected 4xx from the durable client is not mistaken for storage down', () => {
    expect(answer(new Error('The operation failed with an unexpected status code: 400.')).status).toBe(500);
  });
});
