// POST /api/chat/slack/actions: Slack's interactivity endpoint, where Approve / Reject clicks arrive.
// Anonymous at the Functions level, like the slash command: the Slack signature over the raw body is the
// authentication, and anything unsigned, badly signed or stale gets a bare 401 and raises nothing.
// A click decides only when the operation's approval policy lets it: an operation started from Slack, a
// user on SLACK_APPROVERS, in the workspace of the request, not approving their own request; every other
// click is audited and answered only to the user who clicked.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { deliverApproval } from '../app/approval/approval.useCases';
import type { ApprovalDelivery } from '../app/approval/approval.useCases';
import { readSignedSlackBody } from '../chat/readSignedSlackBody';
import { parseBlockAction } from '../chat/slackInteraction';
import type { BlockAction } from '../chat/slackInteraction';
import type { AuditActor } from '../domain';
import { postToResponseUrl } from '../slack/postToResponseUrl';
import { APPROVE_ACTION, REJECT_ACTION, decisionMessage, ephemeralMessage } from '../slack/slackMessages';
import type { SlackMessage } from '../slack/slackMessages';

export const SLACK_ACTIONS_FUNCTION = 'slackActions';

export async function slackActions(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const admitted = await readSignedSlackBody(request, context);
  if (!admitted.ok) return admitted.answer;

  const action = parseBlockAction(admitted.body);
  if (action === undefined || ![APPROVE_ACTION, REJECT_ACTION].includes(action.actionId)) {
    return answer(ephemeralMessage('This app only handles its Approve and Reject buttons.'));
  }
  const actor: AuditActor = {
    id: `slack:${action.teamId}:${action.userId}`,
    ...(action.userName === undefined ? {} : { name: action.userName }),
  };
  const warn = (message: string): void => context.warn(message);
  const approved = action.actionId === APPROVE_ACTION;
  try {
    const delivery = await deliverApproval(
      df.getClient(context),
      action.value,
      approved,
      { channel: 'slack', actor, teamId: action.teamId, userId: action.userId },
      warn,
    );
    if (delivery.outcome !== 'delivered') return answer(ephemeralMessage(refusalText(delivery, action)));
    const decided = decisionMessage({ approved, userId: action.userId, instanceId: action.value });
    if (action.responseUrl !== undefined) await postToResponseUrl(action.responseUrl, decided, warn);
    return answer(decided);
  } catch (error) {
    context.error(`a Slack approval click failed: ${error instanceof Error ? error.message : String(error)}`);
    return answer(ephemeralMessage('Your click could not be delivered just now; please try again.'));
  }
}

/** Told only to the user who clicked; the approval request stays as it was. */
function refusalText(
  delivery: Exclude<ApprovalDelivery, { outcome: 'delivered' }>,
  action: BlockAction,
): string {
  const operation = `\`${action.value}\``;
  switch (delivery.outcome) {
    case 'not-found':
      return `There is no operation ${operation}; nothing was changed.`;
    case 'not-waiting':
      return `Operation ${operation} is no longer waiting for an approval (it is ${delivery.state}); your click changed nothing.`;
    case 'refused':
      return delivery.refusal === 'own-request'
        ? `Sorry <@${action.userId}>, you asked for operation ${operation}, so someone else must approve it. Your click changed nothing.`
        : `Sorry <@${action.userId}>, you are not allowed to approve or reject operation ${operation}: ${delivery.reason}. Your click changed nothing.`;
  }
}

function answer(message: SlackMessage): HttpResponseInit {
  return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: message };
}

app.http(SLACK_ACTIONS_FUNCTION, {
  route: 'chat/slack/actions',
  methods: ['POST'],
  // The Slack signature authenticates the request (see above); a function key cannot be configured in Slack.
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: slackActions,
});
