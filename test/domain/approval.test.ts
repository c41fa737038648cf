import {
  FUNCTION_KEY_ACTOR_ID,
  approvalPolicyFor,
  judgeDecider,
  samePerson,
  waitingOperationOf,
} from '../../src/domain';
import type { ApprovalPolicy, ApprovalSettings, Decider, DecisionRefusal } from '../../src/domain';

const ADA = { id: 'slack:T0HOME:U0ADA', name: 'ada' };
const GRACE = { id: 'slack:T0HOME:U0GRACE', name: 'grace' };
const SETTINGS: ApprovalSettings = {
  allowSelf: false,
  restForChat: false,
  slackApprovers: new Set(['U0GRACE', 'U0ADA']),
};

describe('approvalPolicyFor records who may decide, from where the request came', () => {
  test('a REST or scheduled request is decided over REST only', () => {
    const actor = { id: FUNCTION_KEY_ACTOR_ID };
    expect(approvalPolicyFor({ kind: 'rest', actor }, SETTINGS)).toEqual({
      requestedBy: actor,
      allowSelf: false,
      rest: true,
    });
    expect(approvalPolicyFor({ kind: 'schedule', actor: { id: 'schedule' } }, SETTINGS)).toMatchObject({
      rest: true,
    });
  });

  test("a Slack request is decided by click, by the approvers, in the requester's workspace", () => {
    expect(approvalPolicyFor({ kind: 'slack', actor: ADA, teamId: 'T0HOME' }, SETTINGS)).toEqual({
      requestedBy: ADA,
      allowSelf: false,
      rest: false,
      slack: { teamId: 'T0HOME', approvers: ['U0ADA', 'U0GRACE'] },
    });
  });

  test('SLACK_TEAM_ID, when set, names the workspace; the settings may open REST and self-approval', () => {
    const policy = approvalPolicyFor(
      { kind: 'slack', actor: ADA, teamId: 'T0HOME' },
      { ...SETTINGS, slackTeamId: 'T0CORP', restForChat: true, allowSelf: true },
    );
    expect(policy).toMatchObject({ rest: true, allowSelf: true, slack: { teamId: 'T0CORP' } });
  });

  test('a Teams request, which cannot show buttons, is decided over REST only when the settings allow it', () => {
    const actor = { id: 'teams:oid-1' };
    expect(approvalPolicyFor({ kind: 'teams', actor }, SETTINGS)).toEqual({
      requestedBy: actor,
      allowSelf: false,
      rest: false,
    });
    expect(approvalPolicyFor({ kind: 'teams', actor }, { ...SETTINGS, restForChat: true }).rest).toBe(true);
  });
});

const SLACK_POLICY: ApprovalPolicy = {
  requestedBy: ADA,
  allowSelf: false,
  rest: false,
  slack: { teamId: 'T0HOME', approvers: ['U0ADA', 'U0GRACE'] },
};
const REST_POLICY: ApprovalPolicy = { requestedBy: { id: 'oid-alice' }, allowSelf: false, rest: true };
const NOW = { approvers: new Set(['U0ADA', 'U0GRACE']) };

const click = (userId: string, teamId = 'T0HOME'): Decider => ({
  channel: 'slack',
  actor: { id: `slack:${teamId}:${userId}` },
  teamId,
  userId,
});
const rest = (id: string): Decider => ({ channel: 'api', actor: { id } });

describe('judgeDecider lets decide', () => {
  test.each<[string, ApprovalPolicy, Decider, boolean]>([
    ['an approver clicking in the workspace of a Slack request', SLACK_POLICY, click('U0GRACE'), true],
    ['the requester rejecting their own request', SLACK_POLICY, click('U0ADA'), false],
    [
      'the requester approving their own request when the policy allows it',
      { ...SLACK_POLICY, allowSelf: true },
      click('U0ADA'),
      true,
    ],
    ['a function-key holder on a REST request', REST_POLICY, rest(FUNCTION_KEY_ACTOR_ID), true],
    [
      'a function-key holder on a REST request a function-key holder made (keys tell no one apart)',
      { ...REST_POLICY, requestedBy: { id: FUNCTION_KEY_ACTOR_ID } },
      rest(FUNCTION_KEY_ACTOR_ID),
      true,
    ],
    ['another signed-in caller on a REST request', REST_POLICY, rest('oid-bob'), true],
    [
      'a REST caller on a Slack request when the policy allows REST',
      { ...SLACK_POLICY, rest: true },
      rest('oid-bob'),
      true,
    ],
  ])('%s', (_scenario, policy, decider, approved) => {
    expect(judgeDecider(policy, decider, approved, NOW)).toEqual({ ok: true });
  });
});

describe('judgeDecider refuses', () => {
  test.each<[string, ApprovalPolicy | undefined, Decider, DecisionRefusal]>([
    ['an operation that records no policy', undefined, rest('oid-bob'), 'no-approval-policy'],
    ['a REST decision on a Slack request', SLACK_POLICY, rest(FUNCTION_KEY_ACTOR_ID), 'channel-not-allowed'],
    ['a Slack click on a REST request', REST_POLICY, click('U0GRACE'), 'channel-not-allowed'],
    ['a click from another workspace', SLACK_POLICY, click('U0GRACE', 'T0EVIL'), 'other-workspace'],
    [
      'a click from someone not on the recorded approvers',
      SLACK_POLICY,
      click('U0MALLORY'),
      'not-an-approver',
    ],
    ['the requester approving their own Slack request', SLACK_POLICY, click('U0ADA'), 'own-request'],
    ['a signed-in caller approving their own REST request', REST_POLICY, rest('OID-ALICE'), 'own-request'],
  ])('%s', (_scenario, policy, decider, refusal) => {
    expect(judgeDecider(policy, decider, true, NOW)).toMatchObject({ ok: false, refusal });
  });

  test('an approver removed from the settings since the request', () => {
    expect(
      judgeDecider(SLACK_POLICY, click('U0GRACE'), true, { approvers: new Set(['U0ADA']) }),
    ).toMatchObject({
      ok: false,
      refusal: 'not-an-approver',
    });
  });

  test('a click from a workspace other than SLACK_TEAM_ID, set since the request', () => {
    expect(judgeDecider(SLACK_POLICY, click('U0GRACE'), true, { ...NOW, teamId: 'T0CORP' })).toMatchObject({
      ok: false,
      refusal: 'other-workspace',
    });
  });
});

test('samePerson tells people apart by id, but never the anonymous function-key holder', () => {
  expect(samePerson(ADA, { id: ADA.id })).toBe(true);
  expect(samePerson(ADA, GRACE)).toBe(false);
  expect(samePerson({ id: FUNCTION_KEY_ACTOR_ID }, { id: FUNCTION_KEY_ACTOR_ID })).toBe(false);
});

describe('waitingOperationOf reads the policy recorded in a waiting operation', () => {
  test('of a replica operation', () => {
    const input = {
      request: { replicaId: '/r/x', approval: { timeoutMinutes: 60, policy: SLACK_POLICY } },
    };
    expect(waitingOperationOf(input)).toEqual({ target: '/r/x', policy: SLACK_POLICY });
  });

  test('of a heal', () => {
    expect(waitingOperationOf({ replicaId: '/r/y', approvalPolicy: REST_POLICY })).toEqual({
      target: '/r/y',
      policy: REST_POLICY,
    });
  });

  test.each([
    ['nothing', undefined],
    ['an operation without a policy', { request: { replicaId: '/r/z' } }],
    ['a malformed policy', { replicaId: '/r/z', approvalPolicy: { requestedBy: 'me', rest: 'yes' } }],
  ])('and finds none in %s', (_scenario, input) => {
    expect(waitingOperationOf(input).policy).toBeUndefined();
  });
});
