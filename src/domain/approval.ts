// Who may decide on an operation that waits for a person. The rules are recorded in the operation when it
// is requested (its approval policy), so a decision is judged by what held when the request was made, and
// every channel (REST, Slack) is judged by the same function. Pure: settings come in as values.
import type { AuditActor } from './audit';

/** The actor of every function-key caller: anonymous, so never "the same person" as anyone. */
export const FUNCTION_KEY_ACTOR_ID = 'function-key';

/** Where a request came from, which decides who may approve it. */
export type RequestOrigin =
  | { kind: 'rest' | 'schedule'; actor: AuditActor }
  | { kind: 'slack'; actor: AuditActor; teamId: string }
  | { kind: 'teams'; actor: AuditActor };

/** Who may decide, recorded in the waiting operation's input. */
export interface ApprovalPolicy {
  /** Who asked for the operation. */
  requestedBy: AuditActor;
  /** Whether the requester may approve their own request. */
  allowSelf: boolean;
  /** Decisions over the REST API, from a function-key holder or a signed-in caller. */
  rest: boolean;
  /** Decisions by a Slack click: only in this workspace, only by these users. */
  slack?: { teamId: string; approvers: string[] };
}

/** The settings a policy is made from (APPROVAL_ALLOW_SELF, APPROVAL_ALLOW_REST_FOR_CHAT, Slack's). */
export interface ApprovalSettings {
  allowSelf: boolean;
  restForChat: boolean;
  slackApprovers: ReadonlySet<string>;
  /** SLACK_TEAM_ID: the one workspace the app serves, when set. */
  slackTeamId?: string;
}

/**
 * A REST- or schedule-started operation is decided over REST (there are no buttons to click); a
 * Slack-started one by a click of an approver in the requester's workspace (or SLACK_TEAM_ID's), and over
 * REST only when the settings allow it; a Teams-started one, which cannot show buttons, only over REST and
 * only when the settings allow it.
 */
export function approvalPolicyFor(origin: RequestOrigin, settings: ApprovalSettings): ApprovalPolicy {
  const base = { requestedBy: origin.actor, allowSelf: settings.allowSelf };
  switch (origin.kind) {
    case 'rest':
    case 'schedule':
      return { ...base, rest: true };
    case 'teams':
      return { ...base, rest: settings.restForChat };
    case 'slack':
      return {
        ...base,
        rest: settings.restForChat,
        slack: {
          teamId: settings.slackTeamId ?? origin.teamId,
          approvers: [...settings.slackApprovers].sort(),
        },
      };
  }
}

/** Who is deciding, and through which channel. */
export type Decider =
  | { channel: 'api'; actor: AuditActor }
  | { channel: 'slack'; actor: AuditActor; teamId: string; userId: string };

export type DecisionRefusal =
  'no-approval-policy' | 'channel-not-allowed' | 'other-workspace' | 'not-an-approver' | 'own-request';

export type DecisionVerdict = { ok: true } | { ok: false; refusal: DecisionRefusal; reason: string };

/** What holds now, besides the recorded policy: an approver removed from the settings loses the right. */
export interface CurrentSlackRules {
  approvers: ReadonlySet<string>;
  teamId?: string;
}

/**
 * Whether `decider` may decide (`approved` or not) on an operation recorded with `policy`. A requester
 * may always reject their own request through an allowed channel (it changes nothing), but approves it
 * only when the policy allows self-approval.
 */
export function judgeDecider(
  policy: ApprovalPolicy | undefined,
  decider: Decider,
  approved: boolean,
  current: CurrentSlackRules,
): DecisionVerdict {
  if (policy === undefined) {
    return refuse('no-approval-policy', 'the operation does not record who may decide on it');
  }
  if (decider.channel === 'api' && !policy.rest) {
    return refuse(
      'channel-not-allowed',
      'the operation was requested in chat and is decided there; the REST API may not decide on it',
    );
  }
  if (decider.channel === 'slack') {
    const slack = policy.slack;
    if (slack === undefined) {
      return refuse(
        'channel-not-allowed',
        'the operation was not requested from Slack; it is decided over the REST API',
      );
    }
    if (
      decider.teamId !== slack.teamId ||
      (current.teamId !== undefined && decider.teamId !== current.teamId)
    ) {
      return refuse('other-workspace', 'the click came from another Slack workspace');
    }
    if (!slack.approvers.includes(decider.userId) || !current.approvers.has(decider.userId)) {
      return refuse('not-an-approver', 'the user is not on the approvers list');
    }
  }
  if (approved && !policy.allowSelf && samePerson(policy.requestedBy, decider.actor)) {
    return refuse('own-request', 'the requester may not approve their own request');
  }
  return { ok: true };
}

/**
 * Two actors are the same person when their ids are equal, except the anonymous function-key caller: a
 * key is shared, so it tells no one apart.
 */
export function samePerson(a: AuditActor, b: AuditActor): boolean {
  return a.id !== FUNCTION_KEY_ACTOR_ID && a.id.toLowerCase() === b.id.toLowerCase();
}

function refuse(refusal: DecisionRefusal, reason: string): DecisionVerdict {
  return { ok: false, refusal, reason };
}

/**
 * The approval policy recorded in a waiting operation's input, and the resource it is about: a replica
 * operation (`{request: {replicaId, approval: {policy}}}`) or a heal (`{replicaId, approvalPolicy}`).
 */
export function waitingOperationOf(input: unknown): { target?: string; policy?: ApprovalPolicy } {
  if (typeof input !== 'object' || input === null) return {};
  const fields = input as {
    request?: { replicaId?: unknown; approval?: { policy?: unknown } };
    replicaId?: unknown;
    approvalPolicy?: unknown;
  };
  const target = fields.request?.replicaId ?? fields.replicaId;
  const policy = fields.request?.approval?.policy ?? fields.approvalPolicy;
  return {
    ...(typeof target === 'string' ? { target } : {}),
    ...(isApprovalPolicy(policy) ? { policy } : {}),
  };
}

function isApprovalPolicy(value: unknown): value is ApprovalPolicy {
  if (typeof value !== 'object' || value === null) return false;
  const policy = value as Partial<ApprovalPolicy>;
  const slackOk =
    policy.slack === undefined ||
    (typeof policy.slack.teamId === 'string' &&
      Array.isArray(policy.slack.approvers) &&
      policy.slack.approvers.every((id) => typeof id === 'string'));
  return (
    typeof policy.requestedBy?.id === 'string' &&
    typeof policy.allowSelf === 'boolean' &&
    typeof policy.rest === 'boolean' &&
    slackOk
  );
}
