// The OpenAPI 3 description of this app's HTTP API, served at GET /api/openapi.json. Tests check that
// every registered route is described here and that real answers match these schemas.

const problemRef = { $ref: '#/components/schemas/Problem' };
/**
 * Problem answers with these statuses. Every route can answer 400 (its query) and 413 (its body); a 401
 * is never a problem: the host answers it without a body.
 */
const problems = (...statuses: number[]): Record<string, unknown> =>
  Object.fromEntries(
    [...new Set([400, 413, ...statuses])]
      .filter((status) => status !== 401)
      .sort((a, b) => a - b)
      .map((status) => [
        String(status),
        {
          description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
          content: { 'application/problem+json': { schema: problemRef } },
        },
      ]),
  );
/** The problems an operation documents, plus those every keyed operation can answer (401, 500). */
const problemResponses = (...statuses: number[]): Record<string, unknown> => ({
  '401': { description: 'The function key is missing or wrong (answered by the host, without a body).' },
  ...problems(...statuses, 500),
});

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid (path, query parameters or body); `errors` names the offending fields, at most 20 of them, and `omittedErrors` counts the rest.',
  403: 'The registry is outside the scope the app manages (REGISTRY_SCOPE).',
  404: 'The registry, replica, operation, desired replica set or file does not exist.',
  409: 'An operation on the same replica (or an apply of the same registry) is still running; `operationLocation` links to it.',
  412: 'The desired replica set is not the version the request names (`If-Match`), or one exists and the request asked for none (`If-None-Match: *`, the default of a PUT); `etag` is the current version.',
  413: 'The request body is larger than the route allows (`limitBytes`); it was not read.',
  415: 'The request body is not JSON (`Content-Type` must be `application/json`).',
  422: 'Azure would accept the request, but the app refuses it (home region, non-Premium registry, region not offered, or a create on a private-endpoint registry the app lacks the private-link permission for when its heal policy is not auto).',
  428: 'A delete of a desired replica set must name the version it deletes (`If-Match`).',
  500: 'Something unexpected went wrong; `invocationId` finds it in the logs.',
  502: 'Azure Resource Manager answered with an error.',
  503: 'A dependency (the audit trail, the orchestration engine’s storage, or Azure throttling) is unavailable; nothing was changed. `Retry-After` says when to try again.',
};

const json = (schema: unknown, description: string): Record<string, unknown> => ({
  description,
  content: { 'application/json': { schema } },
});

const registryPath = [
  { name: 'subscriptionId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
  { name: 'resourceGroup', in: 'path', required: true, schema: { type: 'string', maxLength: 90 } },
  {
    name: 'registry',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[a-zA-Z0-9]{5,50}$' },
  },
];
const replicaPath = [
  ...registryPath,
  { name: 'replica', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-zA-Z0-9]{5,50}$' } },
];
const dryRun = {
  name: 'dryRun',
  in: 'query',
  required: false,
  description: 'When true, answer 200 with the plan and change nothing.',
  schema: { type: 'boolean' },
};
const accepted = {
  description: 'Accepted: the operation runs in the background; `Location` points at its status.',
  headers: { Location: { schema: { type: 'string' } }, 'Retry-After': { schema: { type: 'integer' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/OperationAccepted' } } },
};
const plan = json({ $ref: '#/components/schemas/Plan' }, 'Dry run: what would be called, in order.');
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The ETag of the version the request replaces or deletes (`"v3"`), or `*` for whichever exists.',
  schema: { type: 'string' },
};
const ifNoneMatch = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description:
    '`*`: only when the registry has no desired replica set yet (the default of a PUT and an import).',
  schema: { type: 'string', enum: ['*'] },
};
const etagHeader = { ETag: { description: 'The version, for `If-Match`.', schema: { type: 'string' } } };
const declaration = (description: string): Record<string, unknown> => ({
  description,
  headers: etagHeader,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/DesiredReplicaSetView' } } },
});

/** An audit entry's fields (see docs/audit-trail.md#entries). */
const auditEntryProperties = {
  entryId: { type: 'string' },
  sequence: { type: 'integer' },
  time: { type: 'string', format: 'date-time' },
  actor: {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string' }, name: { type: 'string' } },
  },
  channel: { type: 'string', enum: ['api', 'schedule', 'chat'] },
  operation: { type: 'string' },
  target: { type: 'string' },
  instanceId: { type: 'string' },
  step: { type: 'string' },
  outcome: { type: 'string' },
  detail: { type: 'object' },
  hash: { type: 'string' },
  previousHash: { type: 'string' },
  mac: {
    type: 'string',
    description: 'HMAC-SHA256 under the audit key; absent when written without one.',
  },
  damaged: {
    type: 'array',
    items: { type: 'string' },
    description: 'The stored fields that cannot be read.',
  },
};

export const OPENAPI_DOCUMENT = {
  openapi: '3.0.3',
  info: {
    title: 'acr-replica-guard',
    version: '0.1.0',
    description:
      'Keeps Azure Container Registry geo-replication healthy: replica lifecycle, progress of long-running operations, and an audit trail. Every endpoint except health and this document needs a function key (`x-functions-key` header or `code` query parameter).',
  },
  servers: [{ url: '/api' }],
  security: [{ functionKey: [] }],
  paths: {
    '/health': {
      get: {
        operationId: 'health',
        security: [],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['status', 'service'],
              properties: { status: { type: 'string', enum: ['ok'] }, service: { type: 'string' } },
            },
            'The app is up.',
          ),
          ...problems(),
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openapi',
        security: [],
        responses: { '200': json({ type: 'object' }, 'This document.'), ...problems() },
      },
    },
    '/registries': {
      get: {
        operationId: 'listRegistries',
        summary: 'The registries in scope, with a replica health summary.',
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['value'],
              properties: {
                value: { type: 'array', items: { $ref: '#/components/schemas/RegistrySummary' } },
              },
            },
            'Registries in scope.',
          ),
          ...problemResponses(400, 502, 503),
        },
      },
    },
    '/registries/{subscriptionId}/{resourceGroup}/{registry}/replicas': {
      parameters: registryPath,
      get: {
        operationId: 'listReplicas',
        summary: 'The live list of a registry’s replicas with their states.',
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['registry', 'value'],
              properties: {
                registry: { $ref: '#/components/schemas/Registry' },
                value: { type: 'array', items: { $ref: '#/components/schemas/Replica' } },
              },
            },
            'Replicas of the registry.',
          ),
          ...problemResponses(400, 403, 404, 502, 503),
        },
      },
      post: {
        operationId: 'createReplica',
        summary: 'Create a replica.',
        parameters: [dryRun],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateReplica' } } },
        },
        responses: {
          '200': plan,
          '202': accepted,
          ...problemResponses(400, 403, 404, 409, 415, 422, 502, 503),
        },
      },
    },
    '/registries/{subscriptionId}/{resourceGroup}/{registry}/replicas/{replica}': {
      parameters: replicaPath,
      patch: {
        operationId: 'updateReplica',
        summary: 'Update a replica’s endpoint flag or tags.',
        parameters: [dryRun],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/UpdateReplica' } } },
        },
        responses: {
          '200': plan,
          '202': accepted,
          ...problemResponses(400, 403, 404, 409, 415, 422, 502, 503),
        },
      },
      delete: {
        operationId: 'deleteReplica',
        summary: 'Delete a replica (never the home replica).',
        parameters: [dryRun],
        responses: {
          '200': plan,
          '202': accepted,
          ...problemResponses(400, 403, 404, 409, 422, 502, 503),
        },
      },
    },
    '/heal': {
      post: {
        operationId: 'healNow',
        summary:
          'Sweep the whole scope now: find stuck replicas and heal them within each registry’s policy.',
        parameters: [dryRun],
        responses: {
          '202': {
            description: 'Accepted: the sweep runs in the background; `Location` points at its status.',
            headers: {
              Location: { schema: { type: 'string' } },
              'Retry-After': { schema: { type: 'integer' } },
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SweepAccepted' } } },
          },
          ...problemResponses(400, 401, 409, 500, 503),
        },
      },
    },
    '/registries/{subscriptionId}/{resourceGroup}/{registry}/heal': {
      parameters: registryPath,
      post: {
        operationId: 'healRegistry',
        summary: 'Sweep one registry now: find its stuck replicas and heal them within its policy.',
        parameters: [dryRun],
        responses: {
          '202': {
            description: 'Accepted: the sweep runs in the background; `Location` points at its status.',
            headers: {
              Location: { schema: { type: 'string' } },
              'Retry-After': { schema: { type: 'integer' } },
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SweepAccepted' } } },
          },
          ...problemResponses(400, 401, 403, 404, 409, 422, 500, 502, 503),
        },
      },
    },
    '/registries/{subscriptionId}/{resourceGroup}/{registry}/desired-replicas': {
      parameters: registryPath,
      get: {
        operationId: 'getDesiredReplicas',
        summary: 'The registry’s desired replica set: its current version.',
        responses: {
          '200': declaration('The current version.'),
          ...problemResponses(400, 403, 404, 503),
        },
      },
      put: {
        operationId: 'putDesiredReplicas',
        summary:
          'Declare the registry’s desired replica set. Without a condition it only creates; replacing one needs `If-Match` with its ETag.',
        parameters: [ifMatch, ifNoneMatch],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/DesiredReplicaSet' } } },
        },
        responses: {
          '200': declaration('Replaced (or unchanged: the same declaration makes no new version).'),
          '201': declaration('Created.'),
          ...problemResponses(400, 403, 404, 412, 413, 415, 422, 502, 503),
        },
      },
      delete: {
        operationId: 'deleteDesiredReplicas',
        summary: 'Delete the desired replica set (its history stays). Needs `If-Match`.',
        parameters: [ifMatch],
        responses: {
          '204': { description: 'Deleted.' },
          ...problemResponses(400, 403, 404, 412, 428, 503),
        },
      },
    },
    '/registries/{subscriptionId}/{resourceGroup}/{registry}/desired-replicas/history': {
      parameters: registryPath,
      get: {
        operationId: 'desiredReplicasHistory',
        summary:
          'Every version of the desired replica set, newest first (at most 100): who changed what, when.',
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['registry', 'value'],
              properties: {
                registry: { type: 'string' },
                value: { type: 'array', items: { $ref: '#/components/schemas/DeclarationVersion' } },
              },
            },
            'The versions.',
          ),
          ...problemResponses(400, 403, 503),
        },
      },
    },
    '/registries/{subscriptionId}/{resourceGroup}/{registry}/desired-replicas/plan': {
      parameters: registryPath,
      get: {
        operationId: 'planDesiredReplicas',
        summary:
          'What an apply would do now: the ordered steps that bring the replicas to the declaration, with estimates, risks and approvals.',
        responses: {
          '200': {
            description: 'The plan.',
            headers: etagHeader,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ReplicaSetPlan' } } },
          },
          ...problemResponses(400, 403, 404, 422, 502, 503),
        },
      },
    },
    '/registries/{subscriptionId}/{resourceGroup}/{registry}/desired-replicas/apply': {
      parameters: registryPath,
      post: {
        operationId: 'applyDesiredReplicas',
        summary:
          'Carry out the plan: one orchestration per registry, each step a replica operation; deletes and recreates wait for an approval.',
        parameters: [dryRun],
        responses: {
          '200': json(
            { $ref: '#/components/schemas/ApplyDryRun' },
            'Dry run: the plan an apply would carry out now; nothing changes.',
          ),
          '202': {
            description: 'Accepted: the apply runs in the background; `Location` points at its status.',
            headers: {
              Location: { schema: { type: 'string' } },
              'Retry-After': { schema: { type: 'integer' } },
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ApplyAccepted' } } },
          },
          ...problemResponses(400, 403, 404, 409, 422, 502, 503),
        },
      },
    },
    '/registries/{subscriptionId}/{resourceGroup}/{registry}/desired-replicas/import': {
      parameters: registryPath,
      post: {
        operationId: 'importDesiredReplicas',
        summary: 'Declare what the registry has now: every region and every setting of its replicas.',
        parameters: [ifMatch, ifNoneMatch],
        requestBody: {
          required: false,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportOptions' } } },
        },
        responses: {
          '200': declaration('Replaced (or unchanged).'),
          '201': declaration('Created.'),
          ...problemResponses(400, 403, 404, 412, 413, 415, 422, 502, 503),
        },
      },
    },
    '/operations': {
      get: {
        operationId: 'listOperations',
        summary:
          'Operations under way and those created in the last 7 days (replica operations, heals, sweeps), newest change first, in pages; those waiting for an approval say who may decide.',
        parameters: [
          {
            name: 'status',
            in: 'query',
            schema: { type: 'string', enum: ['active', 'finished', 'failed', 'all'] },
          },
          { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'continuationToken', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['value'],
              properties: {
                value: { type: 'array', items: { $ref: '#/components/schemas/OperationListItem' } },
                continuationToken: { type: 'string' },
              },
            },
            'A page of operations; `Link: <...>; rel="next"` when there is another.',
          ),
          ...problemResponses(400, 503),
        },
      },
    },
    '/operations/{id}': {
      get: {
        operationId: 'getOperation',
        summary: 'Progress and result of an operation.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': json({ $ref: '#/components/schemas/Operation' }, 'The operation.'),
          ...problemResponses(400, 404, 503),
        },
      },
    },
    '/operations/{id}/approval': {
      post: {
        operationId: 'approveOperation',
        summary:
          'Approve or reject an operation that waits for approval; the caller is recorded as the approver. Refused (403) when its approval policy does not let the REST API decide (a chat-started operation) or the caller would approve their own request.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['approved'],
                additionalProperties: false,
                properties: { approved: { type: 'boolean' } },
              },
            },
          },
        },
        responses: {
          '202': json(
            {
              type: 'object',
              required: ['operationId', 'approved', 'approver'],
              properties: {
                operationId: { type: 'string' },
                approved: { type: 'boolean' },
                approver: {
                  type: 'object',
                  required: ['id'],
                  properties: { id: { type: 'string' }, name: { type: 'string' } },
                },
              },
            },
            'The decision was delivered to the waiting operation.',
          ),
          ...problemResponses(400, 401, 403, 404, 409, 415, 500, 503),
        },
      },
    },
    '/audit': {
      get: {
        operationId: 'listAudit',
        summary: 'Audit entries, newest first within a registry.',
        parameters: [
          { name: 'registry', in: 'query', schema: { type: 'string' } },
          { name: 'operation', in: 'query', schema: { type: 'string', maxLength: 256 } },
          { name: 'actor', in: 'query', schema: { type: 'string', maxLength: 256 } },
          { name: 'instanceId', in: 'query', schema: { type: 'string', maxLength: 256 } },
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
          { name: 'continuationToken', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['value'],
              properties: {
                value: { type: 'array', items: { $ref: '#/components/schemas/AuditEntry' } },
                continuationToken: { type: 'string' },
              },
            },
            'A page of entries; `Link: <...>; rel="next"` when there is another.',
          ),
          ...problemResponses(400, 503),
        },
      },
    },
    '/audit/verify': {
      get: {
        operationId: 'verifyAudit',
        summary:
          'Check a registry’s trail: its hash chain, MACs, chain head and anchors; report the first break.',
        parameters: [{ name: 'registry', in: 'query', required: true, schema: { type: 'string' } }],
        responses: {
          '200': json({ $ref: '#/components/schemas/ChainVerdict' }, 'The verdict.'),
          ...problemResponses(400, 503),
        },
      },
    },
    '/audit/export': {
      get: {
        operationId: 'exportAudit',
        summary:
          'A registry’s whole trail as JSON Lines (header, entries, chain head, anchors, seal), for the standalone verifier.',
        parameters: [{ name: 'registry', in: 'query', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The export; the format is in docs/audit-trail.md.',
            content: { 'application/x-ndjson': { schema: { type: 'string' } } },
          },
          ...problemResponses(400, 503),
        },
      },
    },
    '/dashboard': {
      get: {
        operationId: 'dashboard',
        summary:
          'The operators’ page: the fleet matrix, operations, approvals waiting and the audit trail, read from this API. Open it once with `?code=<function key>`; the page keeps the key for the browser tab only.',
        responses: {
          '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
          ...problemResponses(),
        },
      },
    },
    '/dashboard/{file}': {
      get: {
        operationId: 'dashboardAsset',
        summary: 'The dashboard’s style sheet and scripts (no data, no key needed).',
        security: [],
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The file.',
            content: {
              'text/css': { schema: { type: 'string' } },
              'text/javascript': { schema: { type: 'string' } },
            },
          },
          ...problems(404),
        },
      },
    },
    '/docs': {
      get: {
        operationId: 'apiExplorer',
        summary: 'An explorer for this document (Swagger UI, served by the app itself).',
        security: [],
        responses: {
          '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
          ...problems(),
        },
      },
    },
    '/docs/{file}': {
      get: {
        operationId: 'apiExplorerAsset',
        summary: 'The explorer’s style sheet and scripts.',
        security: [],
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The file.',
            content: {
              'text/css': { schema: { type: 'string' } },
              'text/javascript': { schema: { type: 'string' } },
            },
          },
          ...problems(404),
        },
      },
    },
    '/chat/slack/commands': {
      post: {
        operationId: 'slackCommands',
        summary:
          'A Slack slash command. No function key: the Slack request signature (`X-Slack-Signature`, `X-Slack-Request-Timestamp`) over the raw body authenticates it.',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                properties: {
                  text: { type: 'string' },
                  team_id: { type: 'string' },
                  user_id: { type: 'string' },
                  user_name: { type: 'string' },
                  response_url: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['response_type', 'text'],
              properties: {
                response_type: { type: 'string', enum: ['ephemeral', 'in_channel'] },
                text: { type: 'string' },
              },
            },
            'The answer, shown to the user who asked.',
          ),
          '401': { description: 'The signature is missing, wrong or stale (no body).' },
          ...problems(),
        },
      },
    },
    '/chat/slack/actions': {
      post: {
        operationId: 'slackActions',
        summary:
          'Slack interactivity: an Approve or Reject click on an approval request. No function key: the Slack request signature over the raw body authenticates it; only users listed in `SLACK_APPROVERS`, in the workspace of the request, may decide on an operation started from Slack, and not on their own request.',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['payload'],
                properties: {
                  payload: { type: 'string', description: 'The `block_actions` payload as JSON.' },
                },
              },
            },
          },
        },
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['text'],
              properties: {
                response_type: { type: 'string', enum: ['ephemeral', 'in_channel'] },
                replace_original: { type: 'boolean' },
                text: { type: 'string' },
                blocks: { type: 'array', items: { type: 'object' } },
              },
            },
            'The decision replacing the approval request, or an answer only the clicking user sees (not allowed, no longer waiting).',
          ),
          '401': { description: 'The signature is missing, wrong or stale (no body).' },
          ...problems(),
        },
      },
    },
    '/chat/teams': {
      post: {
        operationId: 'teamsWebhook',
        summary:
          'A Teams outgoing webhook message. No function key: `Authorization: HMAC <signature>` over the raw body, keyed with the webhook security token, authenticates it.',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  text: { type: 'string' },
                  from: {
                    type: 'object',
                    properties: { id: { type: 'string' }, name: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['type', 'text'],
              properties: { type: { type: 'string', enum: ['message'] }, text: { type: 'string' } },
            },
            'The answer as a Teams message.',
          ),
          '401': { description: 'The signature is missing or wrong (no body).' },
          ...problems(),
        },
      },
    },
  },
  components: {
    securitySchemes: {
      functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
    },
    schemas: {
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'reason'],
              properties: { field: { type: 'string' }, reason: { type: 'string' } },
            },
          },
          omittedErrors: {
            type: 'integer',
            description: 'validation: how many more errors there were than the 20 listed.',
          },
          limitBytes: { type: 'integer', description: 'payload-too-large: the route’s body limit.' },
          operationId: { type: 'string', description: '409 operation-in-progress: the running operation.' },
          operationLocation: {
            type: 'string',
            description: '409 operation-in-progress: where to follow the running operation.',
          },
          azureStatus: { type: 'integer', description: 'azure-error: the status Azure answered.' },
          azureCode: { type: 'string', description: 'azure-error: the error code Azure answered.' },
          invocationId: { type: 'string', description: 'internal: the invocation to look up in the logs.' },
          etag: {
            type: 'string',
            description: 'precondition-failed: the ETag of the desired replica set’s current version.',
          },
          regions: {
            type: 'array',
            items: { type: 'string' },
            description: 'region-not-offered: the declared regions the subscription is not offered.',
          },
        },
      },
      Tags: { type: 'object', additionalProperties: { type: 'string' } },
      Registry: {
        type: 'object',
        required: ['id', 'name', 'subscriptionId', 'resourceGroup', 'homeRegion', 'sku', 'privateEndpoints'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          subscriptionId: { type: 'string' },
          resourceGroup: { type: 'string' },
          homeRegion: { type: 'string' },
          sku: { type: 'string' },
          privateEndpoints: { type: 'boolean' },
          tags: { $ref: '#/components/schemas/Tags' },
        },
      },
      RegistrySummary: {
        allOf: [
          { $ref: '#/components/schemas/Registry' },
          {
            type: 'object',
            required: ['replicas'],
            properties: {
              replicas: {
                type: 'object',
                required: ['total', 'succeeded', 'inProgress', 'failed'],
                properties: {
                  total: { type: 'integer' },
                  succeeded: { type: 'integer' },
                  inProgress: { type: 'integer' },
                  failed: { type: 'integer' },
                },
              },
            },
          },
        ],
      },
      Replica: {
        type: 'object',
        required: [
          'id',
          'name',
          'location',
          'provisioningState',
          'regionEndpointEnabled',
          'zoneRedundancy',
          'home',
        ],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          location: { type: 'string' },
          provisioningState: { type: 'string' },
          displayStatus: { type: 'string' },
          statusMessage: { type: 'string' },
          regionEndpointEnabled: { type: 'boolean' },
          zoneRedundancy: { type: 'string', enum: ['Enabled', 'Disabled'] },
          tags: { $ref: '#/components/schemas/Tags' },
          home: { type: 'boolean' },
        },
      },
      CreateReplica: {
        type: 'object',
        required: ['location'],
        additionalProperties: false,
        properties: {
          location: { type: 'string', example: 'westeurope' },
          name: { type: 'string', description: 'Defaults to the region name.' },
          regionEndpointEnabled: { type: 'boolean', default: true },
          zoneRedundancy: { type: 'string', enum: ['Enabled', 'Disabled'], default: 'Disabled' },
          tags: { $ref: '#/components/schemas/Tags' },
        },
      },
      UpdateReplica: {
        type: 'object',
        additionalProperties: false,
        properties: {
          regionEndpointEnabled: { type: 'boolean' },
          tags: { $ref: '#/components/schemas/Tags' },
          zoneRedundancy: {
            type: 'string',
            enum: ['Enabled', 'Disabled'],
            description: 'Needs `recreate: true`.',
          },
          recreate: {
            type: 'boolean',
            description: 'Confirms a zone redundancy change, which deletes and recreates the replica.',
          },
        },
      },
      Plan: {
        type: 'object',
        required: ['dryRun', 'operation', 'target', 'plan'],
        properties: {
          dryRun: { type: 'boolean' },
          operation: { type: 'string' },
          target: { type: 'string' },
          plan: { type: 'array', items: { type: 'string' } },
        },
      },
      SweepAccepted: {
        type: 'object',
        required: ['operationId', 'operation', 'dryRun', 'status'],
        properties: {
          operationId: { type: 'string' },
          operation: { type: 'string', enum: ['sweep'] },
          target: { type: 'string' },
          dryRun: { type: 'boolean' },
          status: { type: 'string', description: 'URL of the status view.' },
        },
      },
      OperationAccepted: {
        type: 'object',
        required: ['operationId', 'operation', 'target', 'status'],
        properties: {
          operationId: { type: 'string' },
          operation: { type: 'string', enum: ['create', 'update', 'delete'] },
          target: { type: 'string' },
          status: { type: 'string', description: 'URL of the status view.' },
        },
      },
      Operation: {
        type: 'object',
        required: ['operationId', 'runtimeStatus'],
        properties: {
          operationId: { type: 'string' },
          runtimeStatus: { type: 'string' },
          operation: { type: 'string' },
          target: { type: 'string' },
          phase: { type: 'string' },
          provisioningState: { type: 'string' },
          displayStatus: { type: 'string' },
          polls: { type: 'integer' },
          generation: { type: 'integer' },
          requestedAt: { type: 'string', format: 'date-time' },
          armStartedAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
          createdTime: { type: 'string' },
          lastUpdatedTime: { type: 'string' },
          trigger: { type: 'string', enum: ['request', 'drift'], description: 'An apply: who asked for it.' },
          declarationVersion: { type: 'integer', description: 'An apply: the declaration it carries out.' },
          steps: { type: 'integer', description: 'An apply: the steps of its plan that change something.' },
          running: { type: 'integer', description: 'An apply: replica operations under way.' },
          counts: { $ref: '#/components/schemas/StepCounts' },
          result: {
            type: 'object',
            properties: {
              outcome: {
                type: 'string',
                enum: [
                  'succeeded',
                  'failed',
                  'stuck',
                  'refused',
                  'in-sync',
                  'applied',
                  'partial',
                  'not-applied',
                ],
              },
              phase: { type: 'string' },
              provisioningState: { type: 'string' },
              reason: { type: 'string' },
              evidence: { type: 'object' },
              registryId: { type: 'string' },
              trigger: { type: 'string', enum: ['request', 'drift'] },
              declarationVersion: { type: 'integer' },
              counts: { $ref: '#/components/schemas/StepCounts' },
              steps: { type: 'array', items: { $ref: '#/components/schemas/StepResult' } },
            },
          },
        },
      },
      DeclaredSettings: {
        type: 'object',
        additionalProperties: false,
        description:
          'A setting given nowhere is not managed: replicas keep theirs, new ones get ARM’s default.',
        properties: {
          regionEndpointEnabled: { type: 'boolean' },
          zoneRedundancy: { type: 'string', enum: ['Enabled', 'Disabled'] },
          tags: { $ref: '#/components/schemas/Tags' },
        },
      },
      DeclaredReplica: {
        type: 'object',
        required: ['location'],
        additionalProperties: false,
        properties: {
          location: { type: 'string', example: 'eastus' },
          regionEndpointEnabled: { type: 'boolean' },
          zoneRedundancy: { type: 'string', enum: ['Enabled', 'Disabled'] },
          tags: { $ref: '#/components/schemas/Tags' },
        },
      },
      DesiredReplicaSet: {
        type: 'object',
        required: ['replicas'],
        additionalProperties: false,
        properties: {
          replicas: {
            type: 'array',
            maxItems: 100,
            items: { $ref: '#/components/schemas/DeclaredReplica' },
            description: 'One entry per region; the home region may be listed, without settings.',
          },
          defaults: { $ref: '#/components/schemas/DeclaredSettings' },
          allowDeletes: {
            type: 'boolean',
            default: false,
            description: 'An apply someone asked for deletes and recreates without an approval.',
          },
          drift: {
            type: 'string',
            enum: ['report', 'approve', 'auto'],
            default: 'report',
            description: 'What a sweep does when the replicas differ from the declaration.',
          },
        },
      },
      ImportOptions: {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowDeletes: { type: 'boolean', default: false },
          drift: { type: 'string', enum: ['report', 'approve', 'auto'], default: 'report' },
        },
      },
      DesiredReplicaSetView: {
        type: 'object',
        required: [
          'registry',
          'version',
          'etag',
          'homeRegion',
          'replicas',
          'defaults',
          'allowDeletes',
          'drift',
          'change',
          'changedBy',
          'changedAt',
        ],
        properties: {
          registry: { type: 'string' },
          version: { type: 'integer' },
          etag: { type: 'string' },
          homeRegion: { type: 'string' },
          replicas: { type: 'array', items: { $ref: '#/components/schemas/DeclaredReplica' } },
          defaults: { $ref: '#/components/schemas/DeclaredSettings' },
          allowDeletes: { type: 'boolean' },
          drift: { type: 'string', enum: ['report', 'approve', 'auto'] },
          change: { type: 'string', enum: ['put', 'import'] },
          changedBy: { $ref: '#/components/schemas/Actor' },
          changedAt: { type: 'string', format: 'date-time' },
        },
      },
      Actor: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, name: { type: 'string' } },
      },
      ValueChange: { type: 'object', properties: { from: {}, to: {} } },
      SettingChanges: {
        type: 'object',
        properties: {
          regionEndpointEnabled: { $ref: '#/components/schemas/ValueChange' },
          zoneRedundancy: { $ref: '#/components/schemas/ValueChange' },
          tags: { $ref: '#/components/schemas/ValueChange' },
        },
      },
      DeclarationVersion: {
        type: 'object',
        required: ['version', 'etag', 'homeRegion', 'change', 'changedBy', 'changedAt', 'diff'],
        properties: {
          version: { type: 'integer' },
          etag: { type: 'string' },
          homeRegion: { type: 'string' },
          change: { type: 'string', enum: ['put', 'import', 'delete'] },
          changedBy: { $ref: '#/components/schemas/Actor' },
          changedAt: { type: 'string', format: 'date-time' },
          declaration: {
            type: 'object',
            description: 'Absent for a delete.',
            properties: {
              replicas: { type: 'array', items: { $ref: '#/components/schemas/DeclaredReplica' } },
              defaults: { $ref: '#/components/schemas/DeclaredSettings' },
              allowDeletes: { type: 'boolean' },
              drift: { type: 'string', enum: ['report', 'approve', 'auto'] },
            },
          },
          diff: {
            type: 'object',
            required: ['added', 'removed', 'changed', 'defaults'],
            properties: {
              added: { type: 'array', items: { type: 'string' } },
              removed: { type: 'array', items: { type: 'string' } },
              changed: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    location: { type: 'string' },
                    settings: { $ref: '#/components/schemas/SettingChanges' },
                  },
                },
              },
              defaults: { $ref: '#/components/schemas/SettingChanges' },
              allowDeletes: { $ref: '#/components/schemas/ValueChange' },
              drift: { $ref: '#/components/schemas/ValueChange' },
            },
          },
        },
      },
      PlanStep: {
        type: 'object',
        required: ['order', 'kind', 'reason', 'destructive', 'needsApproval'],
        properties: {
          order: { type: 'integer' },
          kind: { type: 'string', enum: ['grant', 'create', 'update', 'recreate', 'delete', 'none', 'skip'] },
          location: { type: 'string' },
          replicaName: { type: 'string' },
          reason: { type: 'string' },
          changes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['setting'],
              properties: { setting: { type: 'string' }, from: {}, to: {} },
            },
          },
          settings: {
            type: 'object',
            properties: {
              regionEndpointEnabled: { type: 'boolean' },
              zoneRedundancy: { type: 'string', enum: ['Enabled', 'Disabled'] },
              tags: { $ref: '#/components/schemas/Tags' },
            },
          },
          privateEndpoints: { type: 'array', items: { type: 'string' } },
          destructive: { type: 'boolean', description: 'Loses the replica’s synced content.' },
          needsApproval: { type: 'boolean' },
          blocked: { type: 'string', description: 'Why the step cannot run; an apply skips it.' },
          estimate: {
            type: 'object',
            required: ['minutes', 'basis'],
            properties: { minutes: { type: 'number' }, basis: { type: 'string' } },
          },
          risk: {
            type: 'object',
            required: ['level', 'note'],
            properties: {
              level: { type: 'string', enum: ['low', 'medium', 'high'] },
              note: { type: 'string' },
            },
          },
        },
      },
      ReplicaSetDrift: {
        type: 'object',
        required: ['missing', 'extra', 'misconfigured'],
        properties: {
          missing: { type: 'array', items: { type: 'string' } },
          extra: {
            type: 'array',
            items: {
              type: 'object',
              properties: { location: { type: 'string' }, replicaName: { type: 'string' } },
            },
          },
          misconfigured: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                location: { type: 'string' },
                replicaName: { type: 'string' },
                settings: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
      },
      ReplicaSetPlan: {
        type: 'object',
        required: [
          'registry',
          'declarationVersion',
          'etag',
          'homeRegion',
          'parallelism',
          'inSync',
          'estimatedMinutes',
          'steps',
          'drift',
        ],
        properties: {
          registry: { type: 'string' },
          declarationVersion: { type: 'integer' },
          etag: { type: 'string' },
          homeRegion: { type: 'string' },
          sizeGiB: { type: 'number' },
          parallelism: { type: 'integer' },
          inSync: { type: 'boolean' },
          estimatedMinutes: { type: 'number' },
          steps: { type: 'array', items: { $ref: '#/components/schemas/PlanStep' } },
          drift: { $ref: '#/components/schemas/ReplicaSetDrift' },
        },
      },
      ApplyDryRun: {
        allOf: [
          { $ref: '#/components/schemas/ReplicaSetPlan' },
          { type: 'object', required: ['dryRun'], properties: { dryRun: { type: 'boolean' } } },
        ],
      },
      ApplyAccepted: {
        type: 'object',
        required: ['operationId', 'operation', 'target', 'status'],
        properties: {
          operationId: { type: 'string' },
          operation: { type: 'string', enum: ['apply'] },
          target: { type: 'string' },
          status: { type: 'string', description: 'URL of the status view.' },
        },
      },
      StepCounts: {
        type: 'object',
        additionalProperties: { type: 'integer' },
        description: 'Steps by outcome: succeeded, failed, stuck, refused, busy, rejected, blocked, skipped.',
      },
      StepResult: {
        type: 'object',
        required: ['index', 'kind', 'outcome'],
        properties: {
          index: { type: 'integer' },
          kind: { type: 'string' },
          location: { type: 'string' },
          replicaName: { type: 'string' },
          outcome: {
            type: 'string',
            enum: ['succeeded', 'failed', 'stuck', 'refused', 'busy', 'rejected', 'blocked', 'skipped'],
          },
          reason: { type: 'string' },
          operationId: { type: 'string' },
        },
      },
      OperationListItem: {
        type: 'object',
        description:
          'An operation as GET /operations/{id} answers it: always `operationId` and `runtimeStatus`, then the fields of its kind (a replica operation, a heal or a sweep), and, while it waits for an approval, `approval`: `requestedBy`, `allowSelf`, `rest` (whether REST callers may decide) and `slackApprovers`.',
      },
      AuditEntry: {
        description: 'An entry; a damaged one (`damaged` present) holds only the fields that could be read.',
        anyOf: [
          {
            type: 'object',
            required: [
              'entryId',
              'sequence',
              'time',
              'actor',
              'channel',
              'operation',
              'target',
              'step',
              'outcome',
              'hash',
              'previousHash',
            ],
            properties: auditEntryProperties,
          },
          { type: 'object', required: ['damaged'], properties: auditEntryProperties },
        ],
        properties: auditEntryProperties,
      },
      ChainVerdict: {
        type: 'object',
        required: ['registry', 'partition', 'intact', 'entries', 'protection', 'anchors'],
        properties: {
          registry: { type: 'string' },
          partition: { type: 'string' },
          intact: { type: 'boolean' },
          entries: { type: 'integer' },
          protection: { type: 'string', enum: ['keyed', 'unkeyed'] },
          keyId: { type: 'string' },
          legacy: {
            type: 'object',
            required: ['entries', 'lastSequence'],
            properties: { entries: { type: 'integer' }, lastSequence: { type: 'integer' } },
          },
          anchors: {
            type: 'object',
            required: ['count', 'unanchoredEntries'],
            properties: {
              count: { type: 'integer' },
              lastSequence: { type: 'integer' },
              unanchoredEntries: { type: 'integer' },
            },
          },
          firstBreak: {
            type: 'object',
            required: ['kind', 'sequence', 'reason'],
            properties: {
              kind: {
                type: 'string',
                enum: ['changed', 'missing', 'relinked', 'forged', 'misplaced', 'diverged'],
              },
              sequence: { type: 'integer' },
              entryId: { type: 'string' },
              reason: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;
