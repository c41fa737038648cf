// Nothing in the deployment authenticates with a shared key: storage refuses keys, Application Insights
// and Log Analytics refuse local auth, secrets come from Key Vault references resolved by the app's
// user-assigned identity, and the Function App runs on Flex Consumption with Node 20.
import type { BicepFile } from './bicep';
import {
  bodyOf,
  callsTo,
  declaration,
  declarations,
  declaredName,
  declaredType,
  decoratorsOf,
  descendants,
  fileNamed,
  literalString,
  loadInfra,
  objectProperties,
  propertyAt,
} from './bicep';

function moduleParams(file: BicepFile, name: string): Map<string, string> {
  const params = propertyAt(bodyOf(declaration(file, 'module_declaration', name)), 'params')!;
  return new Map([...objectProperties(params)].map(([key, value]) => [key, value.text]));
}

describe('identity-only access', () => {
  let files: BicepFile[];
  let main: BicepFile;
  beforeAll(async () => {
    files = await loadInfra();
    main = fileNamed(files, 'infra/main.bicep');
  });

  it('turns shared-key access off on the storage account and never turns it on', () => {
    const storage = moduleParams(main, 'storage');
    expect(storage.get('allowSharedKeyAccess')).toBe('false');
    expect(storage.get('defaultToOAuthAuthentication')).toBe('true');
    expect(declaredType(declaration(main, 'module_declaration', 'storage'))).toMatch(
      /^br\/public:avm\/res\/storage\/storage-account:/,
    );
    const enabled = files.flatMap((file) =>
      descendants(file.tree.rootNode, (node) => node.type === 'object_property')
        .filter((node) => node.namedChildren[0]?.text === 'allowSharedKeyAccess')
        .filter((node) => node.namedChildren[1]?.text !== 'false')
        .map((node) => `${file.path}: ${node.text}`),
    );
    expect(enabled).toEqual([]);
  });

  it('reads no key: no list* key functions and no key or SAS in any string', () => {
    for (const file of files) {
      const listCalls = descendants(
        file.tree.rootNode,
        (node) =>
          node.type === 'call_expression' &&
          /(^|\.)list[A-Z]\w*$/.test(node.childForFieldName('function')?.text ?? ''),
      );
      expect({ path: file.path, listCalls: listCalls.map((node) => node.text) }).toEqual({
        path: file.path,
        listCalls: [],
      });
      expect({ path: file.path, listKeys: file.text.includes('listKeys(') }).toEqual({
        path: file.path,
        listKeys: false,
      });
      const keyStrings = descendants(
        file.tree.rootNode,
        (node) =>
          node.type === 'string' &&
          /AccountKey|SharedAccessSignature|SharedAccessKey|InstrumentationKey=/i.test(node.text),
      );
      expect({ path: file.path, keyStrings: keyStrings.map((node) => node.text) }).toEqual({
        path: file.path,
        keyStrings: [],
      });
    }
  });

  it('disables local authentication on Application Insights and Log Analytics', () => {
    expect(moduleParams(main, 'applicationInsights').get('disableLocalAuth')).toBe('true');
    const workspace = propertyAt(
      bodyOf(declaration(main, 'module_declaration', 'logAnalytics')),
      'params.features',
    );
    expect(propertyAt(workspace!, 'disableLocalAuth')?.text).toBe('true');
  });

  it('keeps secrets in a Key Vault with RBAC authorisation and purge protection', () => {
    const vault = moduleParams(main, 'keyVault');
    expect(vault.get('enableRbacAuthorization')).toBe('true');
    expect(vault.get('enablePurgeProtection')).toBe('true');
    expect(vault.get('enableVaultForTemplateDeployment')).toBe('false');
  });

  it('passes secrets only as Key Vault references, never as values', () => {
    const secureParams = declarations(main, 'parameter_declaration')
      .filter((node) => decoratorsOf(node).includes('@secure()'))
      .map(declaredName);
    expect(secureParams.sort()).toEqual(
      ['auditSigningKey', 'slackNotifyWebhookUrl', 'slackSigningSecret', 'teamsWebhookSecret'].sort(),
    );
    const secretSettings = declaration(main, 'variable_declaration', 'secretSettings');
    const references = Object.fromEntries(
      descendants(secretSettings, (node) => node.type === 'object_property').map((node) => {
        const [key, value] = node.namedChildren;
        return [
          key!.text,
          callsTo(value!, 'keyVaultReference')[0]?.map((arg) => literalString(arg) ?? arg.text),
        ];
      }),
    );
    expect(references).toEqual({
      SLACK_SIGNING_SECRET: ['keyVault.outputs.name', 'slack-signing-secret'],
      TEAMS_WEBHOOK_SECRET: ['keyVault.outputs.name', 'teams-webhook-secret'],
      SLACK_NOTIFY_WEBHOOK_URL: ['keyVault.outputs.name', 'slack-notify-webhook-url'],
      AUDIT_SIGNING_KEY: ['keyVault.outputs.name', 'audit-signing-key'],
    });
    // A secure parameter may only be tested for emptiness or handed to the secret module's secure value.
    for (const name of secureParams) {
      const uses = descendants(
        main.tree.rootNode,
        (node) => node.type === 'identifier' && node.text === name,
      ).filter((node) => node.parent?.type !== 'parameter_declaration');
      const allowed = uses.filter(
        (node) =>
          (node.parent?.type === 'arguments' &&
            node.parent.parent?.childForFieldName('function')?.text === 'empty') ||
          (node.parent?.type === 'object_property' && node.parent.namedChildren[0]?.text === 'value'),
      );
      expect({ name, uses: uses.length }).toEqual({ name, uses: allowed.length });
    }
    const secret = fileNamed(files, 'infra/app/secret.bicep');
    expect(decoratorsOf(declaration(secret, 'parameter_declaration', 'value'))).toContain('@secure()');
  });

  it('runs a Flex Consumption Function App on Node 20 with the user-assigned identity everywhere', () => {
    expect(propertyAt(bodyOf(declaration(main, 'module_declaration', 'plan')), 'params.sku')?.text).toMatch(
      /name: 'FC1'\s+tier: 'FlexConsumption'/,
    );
    const app = fileNamed(files, 'infra/app/function-app.bicep');
    const site = bodyOf(declaration(app, 'resource_declaration', 'site'));
    expect(literalString(propertyAt(site, 'identity.type'))).toBe('UserAssigned');
    expect(propertyAt(site, 'properties.keyVaultReferenceIdentity')?.text).toBe('identityId');
    expect(literalString(propertyAt(site, 'properties.functionAppConfig.runtime.name'))).toBe('node');
    expect(literalString(propertyAt(site, 'properties.functionAppConfig.runtime.version'))).toBe('20');
    expect(
      literalString(propertyAt(site, 'properties.functionAppConfig.deployment.storage.authentication.type')),
    ).toBe('UserAssignedIdentity');
    for (const name of ['scmBasicAuth', 'ftpBasicAuth']) {
      expect(
        propertyAt(bodyOf(declaration(app, 'resource_declaration', name)), 'properties.allow')?.text,
      ).toBe('false');
    }
  });

  it('connects the host to storage with the identity, and never with a connection string', () => {
    const app = fileNamed(files, 'infra/app/function-app.bicep');
    const host = objectProperties(declaration(app, 'variable_declaration', 'hostSettings').namedChildren[1]!);
    expect(literalString(host.get('AzureWebJobsStorage__credential'))).toBe('managedidentity');
    expect(host.get('AzureWebJobsStorage__clientId')?.text).toBe('identityClientId');
    for (const service of ['blob', 'queue', 'table']) {
      expect(host.get(`AzureWebJobsStorage__${service}ServiceUri`)?.text).toBe(
        `storage.properties.primaryEndpoints.${service}`,
      );
    }
    expect(host.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')?.text).toBe(
      "'ClientId=${identityClientId};Authorization=AAD'",
    );
    expect(host.has('AzureWebJobsStorage')).toBe(false);
  });

  it('validates the task hub name: 3-45 characters, with a description, and a valid default', () => {
    const taskHub = declaration(main, 'parameter_declaration', 'taskHubName');
    const decorators = decoratorsOf(taskHub);
    expect(decorators).toEqual(expect.arrayContaining(['@minLength(3)', '@maxLength(45)']));
    expect(decorators.some((decorator) => decorator.startsWith('@description('))).toBe(true);
    const defaultValue = literalString(
      taskHub.namedChildren.find((node) => node?.type === 'string') ?? undefined,
    );
    expect(defaultValue).toMatch(/^[A-Za-z][A-Za-z0-9]{2,44}$/);
  });
});
