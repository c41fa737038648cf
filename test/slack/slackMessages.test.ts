import {
  approvalRequestMessage,
  decisionMessage,
  formatDuration,
  resultText,
} from '../../src/slack/slackMessages';
import type { SlackMessage } from '../../src/slack/slackMessages';

/** The mrkdwn text of a message's first section. */
const sectionTextOf = (message: SlackMessage): string =>
  (message.blocks?.[0] as unknown as { text: { text: string } }).text.text;

const REQUEST = {
  instanceId: 'heal-abc123',
  summary: 'heal replica westus2 of crappr01 (failed)',
  plan: ['delete replica westus2', 'create replica westus2 with its settings'],
  requestedBy: '<@U0ADA>',
  timeoutMinutes: 60,
};

describe('approvalRequestMessage', () => {
  test('posts in the channel a section with the summary and plan, then Approve and Reject buttons carrying the operation id', () => {
    const message = approvalRequestMessage(REQUEST);

    expect(message.response_type).toBe('in_channel');
    expect(message.text).toMatch(/heal replica westus2 of crappr01/);
    const [section, actions] = message.blocks ?? [];
    expect(section).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    const sectionText = sectionTextOf(message);
    expect(sectionText).toContain('• delete replica westus2');
    expect(sectionText).toContain('• create replica westus2 with its settings');
    expect(sectionText).toContain('1 h');
    expect(actions).toEqual({
      type: 'actions',
      block_id: 'approval',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Approve' },
          style: 'primary',
          action_id: 'approve',
          value: 'heal-abc123',
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Reject' },
          style: 'danger',
          action_id: 'reject',
          value: 'heal-abc123',
        },
      ],
    });
  });

  test('user-supplied text cannot turn into mentions or links', () => {
    const message = approvalRequestMessage({ ...REQUEST, summary: 'x <!channel> <https://evil|click>' });
    const sectionText = sectionTextOf(message);

    expect(sectionText).not.toContain('<!channel>');
    expect(sectionText).toContain('&lt;!channel&gt;');
  });

  test('a very long plan stays within Slack’s section limit', () => {
    const message = approvalRequestMessage({
      ...REQUEST,
      plan: Array.from({ length: 500 }, () => 'delete replica westus2'),
    });
    const sectionText = sectionTextOf(message);

    expect(sectionText.length).toBeLessThanOrEqual(3000);
    expect(sectionText).toMatch(/\(cut\)$/);
  });
});

describe('decisionMessage', () => {
  test('an approval replaces the buttons with who approved', () => {
    const message = decisionMessage({ approved: true, userId: 'U123', instanceId: 'heal-abc123' });

    expect(message.replace_original).toBe(true);
    expect(message.text).toMatch(/^Approved by <@U123>/);
    expect(JSON.stringify(message.blocks)).not.toContain('button');
  });

  test('a rejection says nothing is changed', () => {
    const message = decisionMessage({ approved: false, userId: 'U999', instanceId: 'heal-abc123' });

    expect(message.text).toMatch(/^Rejected by <@U999>/);
    expect(message.text).toMatch(/nothing is changed/);
  });
});

describe('resultText', () => {
  const REPLICA =
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr/replications/eastus';

  test('a success says what, the final state and the time taken', () => {
    const text = resultText(
      'create',
      REPLICA,
      { outcome: 'succeeded', provisioningState: 'Succeeded' },
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:04:10.000Z',
    );

    expect(text).toBe(`✅ Create of ${REPLICA} succeeded in 4 min 10 s. Final state: Succeeded.`);
  });

  test('a failure gives the reason and what to do', () => {
    const text = resultText(
      'delete',
      REPLICA,
      { outcome: 'stuck', reason: 'still Deleting after 30 minutes', provisioningState: 'Deleting' },
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:30:00.000Z',
    );

    expect(text).toMatch(/^❌ Delete of .* stuck after 30 min\./);
    expect(text).toContain('Reason: still Deleting after 30 minutes.');
    expect(text).toContain('Final state: Deleting.');
    expect(text).toMatch(/`heal`/);
  });

  test('a rejected operation says nothing was changed', () => {
    const text = resultText(
      'heal',
      REPLICA,
      { outcome: 'rejected', reason: 'no approval before the timeout' },
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T11:00:00.000Z',
    );

    expect(text).toMatch(/^⏹️ Heal of .* rejected after 1 h; nothing was changed\./);
    expect(text).toContain('no approval before the timeout');
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0 s'],
    [59_400, '59 s'],
    [60_000, '1 min'],
    [3_723_000, '1 h 2 min'],
    [-1, 'an unknown time'],
    [Number.NaN, 'an unknown time'],
  ])('%p ms reads %p', (millis, text) => {
    expect(formatDuration(millis)).toBe(text);
  });
});
