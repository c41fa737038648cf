import { parseBlockAction } from '../../src/chat/slackInteraction';

const form = (payload: unknown): Buffer =>
  Buffer.from(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

const CLICK = {
  type: 'block_actions',
  user: { id: 'U0ADA', username: 'ada', name: 'ada', team_id: 'T0CHAT' },
  team: { id: 'T0CHAT', domain: 'contoso' },
  actions: [{ action_id: 'approve', block_id: 'approval', value: 'heal-1', type: 'button' }],
  response_url: 'https://hooks.slack.com/actions/T0CHAT/1/abc',
};

describe('parseBlockAction', () => {
  test('reads the user, team, button and response URL of a click', () => {
    expect(parseBlockAction(form(CLICK))).toEqual({
      teamId: 'T0CHAT',
      userId: 'U0ADA',
      userName: 'ada',
      actionId: 'approve',
      value: 'heal-1',
      responseUrl: 'https://hooks.slack.com/actions/T0CHAT/1/abc',
    });
  });

  test('falls back to the user’s team when the payload has no team', () => {
    const { team: _team, ...withoutTeam } = CLICK;
    expect(parseBlockAction(form(withoutTeam))).toMatchObject({ teamId: 'T0CHAT' });
  });

  test.each([
    ['no payload field', Buffer.from('text=help')],
    ['a payload that is not JSON', Buffer.from('payload=%7Bnot-json')],
    ['another interaction type', form({ ...CLICK, type: 'view_submission' })],
    ['no actions', form({ ...CLICK, actions: [] })],
    ['a button without a value', form({ ...CLICK, actions: [{ action_id: 'approve' }] })],
    ['no user id', form({ ...CLICK, user: { name: 'ada' } })],
    ['an oversized value', form({ ...CLICK, actions: [{ action_id: 'approve', value: 'x'.repeat(300) }] })],
  ])('ignores %s', (_scenario, body) => {
    expect(parseBlockAction(body)).toBeUndefined();
  });
});
