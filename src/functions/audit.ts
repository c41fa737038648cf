// GET /api/audit and GET /api/audit/verify: read the audit trail and check its hash chain.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import type { AuditStore } from '../azure/auditStore';
import { auditStore } from '../azure/auditStoreFactory';
import { formatRegistryId } from '../domain';
import { parseAuditListQuery, parseAuditVerifyQuery } from '../http/auditQuery';
import { toAuditEntryView } from '../http/auditView';
import { withProblems } from '../http/handler';
import { nextPageLink } from '../http/nextLink';
import { requestQuery } from '../http/queryParameters';
import { readBodyWithin } from '../http/requestBody';
import { NO_BODY_LIMIT_BYTES } from '../http/requestLimits';
import { CONTINUATION_TOKEN_PARAMETER, wrapPageToken } from '../http/pageToken';

export const LIST_AUDIT_FUNCTION = 'listAudit';
export const VERIFY_AUDIT_FUNCTION = 'verifyAudit';

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** One page of entries, newest first, with a token and a Link header when there is a next page. */
export function listAudit(store: () => AuditStore): Handler {
  return async (request) => {
    await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
    const { query, pageSize, storeToken } = parseAuditListQuery(requestQuery(request));
    const page = await store().list(query, { pageSize, continuationToken: storeToken });
    const value = page.entries.map(toAuditEntryView);
    if (page.continuationToken === undefined) return json(200, { value });

    const continuationToken = wrapPageToken(query, page.continuationToken);
    return json(
      200,
      { value, continuationToken },
      { link: nextPageLink(request.url, CONTINUATION_TOKEN_PARAMETER, continuationToken) },
    );
  };
}

/** Walks the registry's hash chain and reports whether it is intact and, if not, where it first breaks. */
export function verifyAudit(store: () => AuditStore): Handler {
  return async (request) => {
    await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
    const registry = formatRegistryId(parseAuditVerifyQuery(requestQuery(request)));
    const verdict = await store().verify(registry);
    return json(200, {
      registry,
      partition: verdict.partition,
      intact: verdict.intact,
      entries: verdict.entries,
      ...(verdict.firstBreak === undefined ? {} : { firstBreak: verdict.firstBreak }),
    });
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'cache-control': 'no-store', ...headers } };
}

app.http(LIST_AUDIT_FUNCTION, {
  route: 'audit',
  methods: ['GET'],
  authLevel: 'function',
  handler: withProblems(listAudit(auditStore)),
});

app.http(VERIFY_AUDIT_FUNCTION, {
  route: 'audit/verify',
  methods: ['GET'],
  authLevel: 'function',
  handler: withProblems(verifyAudit(auditStore)),
});
