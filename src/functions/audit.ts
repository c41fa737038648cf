// GET /api/audit, GET /api/audit/verify and GET /api/audit/export: read the audit trail, check its chain,
// and hand an auditor a registry's trail to check without the app.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import type { AuditStore } from '../azure/auditStore';
import { auditStore } from '../azure/auditStoreFactory';
import { AUDIT_EXPORT_CONTENT_TYPE, formatAuditExport, formatRegistryId } from '../domain';
import { parseAuditListQuery, parseAuditVerifyQuery } from '../http/auditQuery';
import { toAuditEntryView, toChainVerdictView } from '../http/auditView';
import { withProblems } from '../http/handler';
import { nextPageLink } from '../http/nextLink';
import { requestQuery } from '../http/queryParameters';
import { readBodyWithin } from '../http/requestBody';
import { NO_BODY_LIMIT_BYTES } from '../http/requestLimits';
import { CONTINUATION_TOKEN_PARAMETER, wrapPageToken } from '../http/pageToken';

export const LIST_AUDIT_FUNCTION = 'listAudit';
export const VERIFY_AUDIT_FUNCTION = 'verifyAudit';
export const EXPORT_AUDIT_FUNCTION = 'exportAudit';

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

/** Checks the registry's chain, MACs, head and anchors; reports whether it is intact or where it breaks. */
export function verifyAudit(store: () => AuditStore): Handler {
  return async (request) => {
    await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
    const registry = formatRegistryId(parseAuditVerifyQuery(requestQuery(request)));
    return json(200, toChainVerdictView(registry, await store().verify(registry)));
  };
}

/** The registry's whole trail as JSON Lines (docs/audit-trail.md), for the standalone verifier. */
export function exportAudit(store: () => AuditStore, now: () => Date = () => new Date()): Handler {
  return async (request) => {
    await readBodyWithin(request, NO_BODY_LIMIT_BYTES);
    const registry = formatRegistryId(parseAuditVerifyQuery(requestQuery(request)));
    const audit = store();
    const evidence = await audit.evidence(registry);
    const body = formatAuditExport(
      {
        registry,
        partition: evidence.partition,
        exportedAt: now().toISOString(),
        protection: evidence.protection,
        ...(evidence.keyId === undefined ? {} : { keyId: evidence.keyId }),
        unreadableAnchors: evidence.unreadableAnchors ?? 0,
      },
      evidence,
      evidence.key,
    );
    return {
      status: 200,
      body,
      headers: {
        'content-type': AUDIT_EXPORT_CONTENT_TYPE,
        'cache-control': 'no-store',
        'content-disposition': `attachment; filename="audit-${evidence.partition.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}.jsonl"`,
      },
    };
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

app.http(EXPORT_AUDIT_FUNCTION, {
  route: 'audit/export',
  methods: ['GET'],
  authLevel: 'function',
  handler: withProblems(exportAudit(auditStore)),
});
