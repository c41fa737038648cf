import { parseCommand, usageText } from '../../src/chat/commandParser';
import type { ChatCommand } from '../../src/chat/commandParser';
import { MAX_COMMAND_LENGTH } from '../../src/chat/tokenise';

const REGISTRY_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-one/providers/Microsoft.ContainerRegistry/registries/crone01';

describe('commands people type are read into typed commands', () => {
  test.each<[string, ChatCommand]>([
    ['help', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['list crone01', { kind: 'list', registry: 'crone01' }],
    [`list ${REGISTRY_ID}`, { kind: 'list', registry: REGISTRY_ID }],
    ['status crone01', { kind: 'status', registry: 'crone01' }],
    ['status crone01 eastus', { kind: 'status', registry: 'crone01', replica: 'eastus' }],
    [
      'add crone01 eastus',
      {
        kind: 'add',
        registry: 'crone01',
        region: 'eastus',
        regionEndpointEnabled: true,
        zoneRedundant: false,
      },
    ],
    [
      'add crone01 "North Europe" --no-endpoint --zone-redundant',
      {
        kind: 'add',
        registry: 'crone01',
        region: 'northeurope',
        regionEndpointEnabled: false,
        zoneRedundant: true,
      },
    ],
    [
      'add crone01 \u201CWest Europe\u201D \u2014zone-redundant',
      {
        kind: 'add',
        registry: 'crone01',
        region: 'westeurope',
        regionEndpointEnabled: true,
        zoneRedundant: true,
      },
    ],
    [
      'update crone01 eastus --endpoint off',
      { kind: 'update', registry: 'crone01', replica: 'eastus', regionEndpointEnabled: false },
    ],
    [
      'update crone01 eastus --endpoint=ON',
      { kind: 'update', registry: 'crone01', replica: 'eastus', regionEndpointEnabled: true },
    ],
    ['remove crone01 eastus', { kind: 'remove', registry: 'crone01', replica: 'eastus' }],
    ['heal crone01', { kind: 'heal', registry: 'crone01', dryRun: false }],
    ['heal all --dry-run', { kind: 'heal', dryRun: true }],
    ['heal ALL', { kind: 'heal', dryRun: false }],
    ['plan crone01', { kind: 'plan', registry: 'crone01' }],
    ['apply crone01', { kind: 'apply', registry: 'crone01', dryRun: false }],
    ['APPLY crone01 --dry-run', { kind: 'apply', registry: 'crone01', dryRun: true }],
    ['operation replica:abc|def', { kind: 'operation', id: 'replica:abc|def' }],
    ['operation sweep', { kind: 'operation', id: 'sweep' }],
    // Non-breaking, ideographic and zero-width spaces separate words like plain ones.
    ['list\u00A0crone01', { kind: 'list', registry: 'crone01' }],
    ['status\u3000crone01\u200Beastus', { kind: 'status', registry: 'crone01', replica: 'eastus' }],
    ['  list \t crone01 \n', { kind: 'list', registry: 'crone01' }],
  ])('%j', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });
});

describe('bad input gets a short usage answer, never an exception', () => {
  test.each<[string, string, RegExp]>([
    ['an unknown command', 'deploy crone01', /Unknown command "deploy"/],
    ['a missing registry', 'list', /missing[\s\S]*Usage: list <registry>/],
    ['a missing region', 'add crone01', /missing[\s\S]*Usage: add/],
    ['a missing replica', 'remove crone01', /missing[\s\S]*Usage: remove/],
    ['an extra argument', 'list crone01 extra', /"extra" is not expected/],
    ['an unknown flag', 'add crone01 eastus --force', /Unknown option --force/],
    ['a flag another command owns', 'remove crone01 eastus --dry-run', /Unknown option --dry-run/],
    ['a repeated flag', 'heal all --dry-run --dry-run', /--dry-run is given twice/],
    ['an update that changes nothing', 'update crone01 eastus', /--endpoint on or --endpoint off/],
    ['an endpoint value that is neither on nor off', 'update crone01 eastus --endpoint maybe', /on or off/],
    ['an endpoint flag without a value', 'update crone01 eastus --endpoint', /needs a value/],
    ['a value on a switch', 'heal all --dry-run=false', /takes no value/],
    ['an unterminated quote', 'add crone01 "North Europe', /quote is not closed/],
    ['a registry name with a dash', 'list cr-one', /not a registry name/],
    ['a replica name too short', 'status crone01 eu', /not a replica name/],
    ['a region with punctuation', 'add crone01 east.us', /not a region name/],
    ['an operation id with a slash', 'operation a/b', /not an operation id/],
    ['a plan of nothing', 'plan', /missing[\s\S]*Usage: plan <registry>/],
    ['a plan with a flag it does not take', 'plan crone01 --dry-run', /Unknown option --dry-run/],
    ['an apply of every registry at once', 'apply crone01 crtwo02', /"crtwo02" is not expected/],
  ])('%s', (_scenario, text, message) => {
    const parsed = parseCommand(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  test('an unknown command is answered with every command’s usage', () => {
    const parsed = parseCommand('frobnicate');
    expect(parsed).toEqual({ ok: false, message: `Unknown command "frobnicate".\n${usageText()}` });
    for (const verb of [
      'list',
      'status',
      'add',
      'update',
      'remove',
      'heal',
      'plan',
      'apply',
      'operation',
      'help',
    ])
      expect(usageText()).toContain(`  ${verb}`);
  });
});

describe('hostile input is refused, never interpreted', () => {
  test.each<[string, string, RegExp]>([
    ['text longer than the cap', `list ${'a'.repeat(MAX_COMMAND_LENGTH)}`, /longer than 500/],
    ['a null byte', 'list crone01\u0000', /control characters/],
    ['an escape sequence', 'list \u001b[31mcrone01', /control characters/],
    ['a C1 control character', 'list crone01\u0085', /control characters/],
    ['command substitution', 'list "$(rm -rf /)"', /not a registry name/],
    ['command substitution split into words', 'list $(rm -rf /)', /is not expected/],
    ['backticks', 'list `id`', /not a registry name/],
    ['a pipe and a semicolon', 'list crone01;reboot', /not a registry name/],
    ['markup', 'list <script>alert(1)</script>', /not a registry name/],
    ['a path traversal', 'list ../../etc/passwd', /not a registry name/],
    ['a resource id with a traversal', `list ${REGISTRY_ID}/../../other`, /not a registry resource id/],
    [
      'a resource id of something else',
      'list /subscriptions/x/resourceGroups/y',
      /not a registry resource id/,
    ],
    ['an emoji as a registry', 'list \u{1F680}\u{1F525}', /not a registry name/],
    ['an emoji command', '\u{1F680} crone01', /Unknown command/],
    ['look-alike letters', 'list cr\u043Ene01', /not a registry name/],
    ['a region injection', 'add crone01 "eastus; DROP TABLE"', /not a region name/],
    ['an operation id with a query', 'operation sweep?x=1', /not an operation id/],
    ['many flags', `heal all ${'--dry-run '.repeat(20)}`, /more than 12 words/],
    ['many words', `status ${'crone01 '.repeat(40)}`, /more than 12 words/],
    ['many distinct unknown flags', 'add crone01 eastus --a --b --c --d', /Unknown option --a/],
  ])('%s', (_scenario, text, message) => {
    const parsed = parseCommand(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(message);
      // The answer echoes at most a short piece of what was sent.
      expect(parsed.message.split('\n')[0]!.length).toBeLessThan(120);
    }
  });

  test('text at the length cap is still read', () => {
    const text = `help${' '.repeat(MAX_COMMAND_LENGTH - 4)}`;
    expect(parseCommand(text)).toEqual({ ok: true, command: { kind: 'help' } });
  });
});
