import { teamsMessageText } from '../../src/chat/teamsMessageText';

describe('the command in a Teams message', () => {
  test.each([
    ['<at>guard</at> list crone01', 'list crone01'],
    ['<at>Replica Guard</at>&nbsp;status crone01 eastus\n', 'status crone01 eastus'],
    ['  <AT>guard</AT>help', 'help'],
    ['list crone01', 'list crone01'],
    ['<at>guard</at> add crone01 &quot;North Europe&quot;', 'add crone01 "North Europe"'],
    // Markup after the mention stays, so the parser refuses it rather than something stripping it.
    ['<at>guard</at> list &lt;b&gt;crone01', 'list <b>crone01'],
    ['list <at>guard</at>', 'list <at>guard</at>'],
  ])('%j reads as %j', (html, text) => {
    expect(teamsMessageText(html)).toBe(text);
  });
});
