// Slack messages the app posts: an approval request with Approve / Reject buttons, the decision that
// replaces those buttons after a click, and the readable result of a finished operation. Pure builders:
// posting them is the caller's job.

export const APPROVE_ACTION = 'approve';
export const REJECT_ACTION = 'reject';

/** Slack refuses section text over 3000 characters; longer plans are cut with a note. */
const MAX_SECTION_TEXT = 3000;

export interface SlackBlock {
  type: string;
  [field: string]: unknown;
}

export interface SlackMessage {
  response_type?: 'in_channel' | 'ephemeral';
  replace_original?: boolean;
  text: string;
  blocks?: SlackBlock[];
}

export interface ApprovalRequest {
  /** The waiting orchestration; the buttons carry it back as their value. */
  instanceId: string;
  summary: string;
  plan: string[];
  /** Who asked for the operation (shown, not trusted: approval rights come from the allow-list). */
  requestedBy: string;
  timeoutMinutes: number;
}

export function approvalRequestMessage(request: ApprovalRequest): SlackMessage {
  const text = `Approval needed: ${request.summary}`;
  const plan = request.plan.map((step) => `• ${escapeText(step)}`).join('\n');
  const body = [
    `*Approval needed:* ${escapeText(request.summary)}`,
    ...(plan === '' ? [] : ['*Plan*', plan]),
    `Requested by ${escapeText(request.requestedBy)}. Operation \`${escapeText(request.instanceId)}\`; ` +
      `without an answer within ${formatMinutes(request.timeoutMinutes)} it is cancelled.`,
  ].join('\n');
  return {
    response_type: 'in_channel',
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(body, MAX_SECTION_TEXT) } },
      {
        type: 'actions',
        block_id: 'approval',
        elements: [
          button('Approve', APPROVE_ACTION, 'primary', request.instanceId),
          button('Reject', REJECT_ACTION, 'danger', request.instanceId),
        ],
      },
    ],
  };
}

export interface ApprovalOutcome {
  approved: boolean;
  /** The Slack user id of whoever clicked. */
  userId: string;
  instanceId: string;
  summary?: string;
}

/** Replaces the approval request (and its buttons) once someone decided. */
export function decisionMessage(outcome: ApprovalOutcome): SlackMessage {
  const verdict = `${outcome.approved ? 'Approved' : 'Rejected'} by <@${outcome.userId}>`;
  const about = outcome.summary === undefined ? '' : `: ${escapeText(outcome.summary)}`;
  const next = outcome.approved
    ? 'The operation continues; its result will follow.'
    : 'The operation stops; nothing is changed.';
  const text = `${verdict}${about}. ${next} (operation \`${escapeText(outcome.instanceId)}\`)`;
  return {
    replace_original: true,
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, MAX_SECTION_TEXT) } }],
  };
}

/** An answer only the clicking user sees; the original message stays as it is. */
export function ephemeralMessage(text: string): SlackMessage {
  return { response_type: 'ephemeral', replace_original: false, text };
}

export interface FinishedOperation {
  /** heal, healed, succeeded, failed, stuck, refused, rejected, escalated, ... */
  outcome: string;
  /** Why it stopped or failed; for a success, a short summary of what it did. */
  reason?: string;
  provisioningState?: string;
}

const SUCCESSES = new Set(['succeeded', 'healed', 'healthy']);
const STOPPED = new Set(['rejected', 'skipped', 'reported']);

/**
 * Readable text for a finished operation: what it did to which target, the final state and the time
 * taken; failures say why and what to do next.
 */
export function resultText(
  kind: string,
  target: string,
  result: FinishedOperation,
  startedAt: string,
  endedAt: string,
): string {
  const took = formatDuration(Date.parse(endedAt) - Date.parse(startedAt));
  const state = result.provisioningState === undefined ? '' : ` Final state: ${result.provisioningState}.`;
  const reason = result.reason === undefined ? '' : ` Reason: ${result.reason}.`;
  const head = `${capitalise(kind)} of ${target}`;
  if (SUCCESSES.has(result.outcome)) {
    const summary = result.reason === undefined ? '' : ` ${result.reason}.`;
    return `✅ ${head} ${result.outcome} in ${took}.${state}${summary}`;
  }
  if (STOPPED.has(result.outcome))
    return `⏹️ ${head} ${result.outcome} after ${took}; nothing was changed.${reason}${state}`;
  return `❌ ${head} ${result.outcome} after ${took}.${reason}${state} ${adviceFor(result.outcome)}`;
}

function adviceFor(outcome: string): string {
  switch (outcome) {
    case 'stuck':
      return 'The replica is still provisioning: check it with `status`, then `heal` the registry if it stays stuck.';
    case 'escalated':
      return 'Healing gave up after its attempts: look at the audit trail of the operation and fix the cause by hand.';
    case 'refused':
      return 'Nothing was started: fix the request and try again.';
    default:
      return 'Check the replica with `status` and the audit trail with `operation <id>`, then try again.';
  }
}

function button(label: string, actionId: string, style: 'primary' | 'danger', value: string): SlackBlock {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    style,
    action_id: actionId,
    value,
  };
}

/** 95 s, 4 min 10 s, 1 h 2 min: enough to tell fast from slow. */
export function formatDuration(millis: number): string {
  if (!Number.isFinite(millis) || millis < 0) return 'an unknown time';
  const seconds = Math.round(millis / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

function formatMinutes(minutes: number): string {
  return formatDuration(minutes * 60_000);
}

/** Slack reads `&`, `<` and `>` as markup; user-supplied text must not become mentions or links. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 12)}\n… (cut)`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
