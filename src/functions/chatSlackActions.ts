// POST /api/chat/slack/actions: Slack's interactivity endpoint, where Approve / Reject clicks arrive.
// Anonymous at the Functions level, like the slash command: the Slack signature over the raw body is the
// authentication, and anything unsigned, badly signed or stale gets a bare 401 and raises nothing.
// Only users on the SLACK_APPROVERS allow-list may decide; every other click is audited and refused.
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { auditRefusedDecision, deliverApproval } from '../app/approval/approval.useCases';
import { readSignedSlackBody } from '../chat/readSignedSlackBody';
import { parseBlockAction } from '../chat/slackInteraction';
import { slackApprovers } from '../config/settings';
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
  const client = df.getClient(context);
  const actor: AuditActor = {
    id: `slack:${action.teamId}:${action.userId}`,
    ...(action.userName === undefined ? {} : { name: action.userName }),
  };
  const warn = (message: string): void => context.warn(message);
  const approved = action.actionId === APPROVE_ACTION;
  try {
    if (!approvers(context).has(action.userId)) {
      await auditRefusedDecision(
        client,
        action.value,
        actor,
        'refused',
        { refusal: 'not-an-approver', approved },
        warn,
      );
      return answer(
        ephemeralMessage(
          `Sorry <@${action.userId}>, you are not allowed to approve or reject operations. ` +
            'Ask someone on the approvers list.',
        ),
      );
    }
    const delivery = await deliverApproval(client, action.value, { approved, approver: actor });
    if (delivery.outcome !== 'delivered') {
      const state = delivery.outcome === 'not-found' ? 'unknown' : delivery.state;
      await auditRefusedDecision(
        client,
        action.value,
        actor,
        'refused',
        { refusal: 'not-awaiting-approval', state },
        warn,
      );
      return answer(
        ephemeralMessage(
          delivery.outcome === 'not-found'
            ? `There is no operation \`${action.value}\`; nothing was changed.`
            : `Operation \`${action.value}\` is no longer waiting for an approval (it is ${state}); ` +
                'your click changed nothing.',
        ),
      );
    }
    const decided = decisionMessage({ approved, userId: action.userId, instanceId: action.value });
    if (action.responseUrl !== undefined) await postToResponseUrl(action.responseUrl, decided, warn);
    return answer(decided);
  } catch (error) {
    context.error(`a Slack approval click failed: ${error instanceof Error ? error.message : String(error)}`);
    return answer(ephemeralMessage('Your click could not be delivered just now; please try again.'));
  }
}

function answer(message: SlackMessage): HttpResponseInit {
  return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: message };
}

/** A misconfigured allow-list lets nobody approve, rather than failing every click. */
function approvers(context: InvocationContext): ReadonlySet<string> {
  try {
    return slackApprovers();
  } catch (error) {
    context.error(error instanceof Error ? error.message : String(error));
    return new Set();
  }
}

app.http(SLACK_ACTIONS_FUNCTION, {
  route: 'chat/slack/actions',
  methods: ['POST'],
  // The Slack signature authenticates the request (see above); a function key cannot be configured in Slack.
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: slackActions,
});
