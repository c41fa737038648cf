// Provisions the replica guard with `azd up`: a Flex Consumption Function App with a user-assigned
// identity, identity-only storage, Entra-only monitoring, Key Vault for chat and audit secrets, and the
// least-privilege roles it needs on the fleet of registries it looks after.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region for the app\'s resources; it must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Resource group for the app; empty means rg-<environment>.')
param resourceGroupName string = ''

@description('The registries the app looks after (REGISTRY_SCOPE): subscription ids, resource group ids and registry ids, separated by commas, semicolons or spaces. Each entry gets the replica operator role at exactly that scope.')
param registryScope string = ''

@description('Resource group ids that hold the registries\' private endpoints, separated by commas, semicolons or spaces. The app may assign its private-link role, to itself only, in these groups; empty means it cannot heal replicas of private-endpoint registries.')
param privateEndpointResourceGroups string = ''

@allowed([
  'auto'
  'approve'
  'report'
])
@description('HEAL_POLICY for registries without a replica-heal-policy tag: auto heals, approve waits for a chat approval, report only tells.')
param healPolicy string = 'report'

@minLength(11)
@description('HEAL_SCHEDULE: when sweeps run, as a six-field NCRONTAB expression (second minute hour day month weekday).')
param healSchedule string = '0 */15 * * * *'

@minLength(3)
@maxLength(45)
@description('TASK_HUB_NAME: the Durable Functions task hub; 3-45 letters or digits, starting with a letter. The host refuses any other name.')
param taskHubName string = 'ReplicaGuard'

@description('SLACK_APPROVERS: Slack user ids (U... or W...) allowed to approve heals, comma-separated; empty means nobody.')
param slackApprovers string = ''

@description('SLACK_HEALERS: Slack user ids (U... or W...) allowed to start heals from Slack, comma-separated; empty means nobody.')
param slackHealers string = ''

@description('SLACK_TEAM_ID: the one Slack workspace (T...) the app serves; empty means each request\'s own.')
param slackTeamId string = ''

@secure()
@description('Slack signing secret; stored in Key Vault as slack-signing-secret. Empty leaves Slack switched off.')
param slackSigningSecret string = ''

@secure()
@description('Teams outgoing-webhook security token (base64); stored in Key Vault as teams-webhook-secret. Empty leaves Teams switched off.')
param teamsWebhookSecret string = ''

@secure()
@description('Slack incoming-webhook URL for escalations; stored in Key Vault as slack-notify-webhook-url. Empty means logged only.')
param slackNotifyWebhookUrl string = ''

@secure()
@description('Key for the audit trail\'s hash chain (32 random bytes, base64); stored in Key Vault as audit-signing-key.')
param auditSigningKey string = ''

@minValue(1)
@maxValue(146000)
@description('Days each audit anchor blob stays unchangeable (the anchors container\'s immutability policy).')
param auditAnchorRetentionDays int = 365

@minValue(40)
@maxValue(1000)
@description('Most instances Flex Consumption may scale out to.')
param maximumInstanceCount int = 40

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'
var auditTableName = 'ReplicaAudit'
// The app derives its anchors' container from the table's name (src/azure/auditAnchors.ts).
var auditAnchorContainerName = '${toLower(auditTableName)}-anchors'
var watchTableName = 'ReplicaWatch'
var desiredReplicasTableName = 'DesiredReplicas'

// ---- the fleet: REGISTRY_SCOPE and the private endpoints' resource groups, split into scopes ----

var scopeEntries = map(
  filter(map(split(registryScope, [',', ';', ' ', '\t', '\n', '\r']), entry => trim(entry)), entry => !empty(entry)),
  entry => toLower(startsWith(entry, '/') ? entry : '/subscriptions/${entry}')
)
var subscriptionEntries = map(filter(scopeEntries, entry => length(split(entry, '/')) == 3), entry => split(entry, '/')[2])
var resourceGroupEntries = map(
  filter(scopeEntries, entry => length(split(entry, '/')) == 5),
  entry => {
    subscriptionId: split(entry, '/')[2]
    resourceGroup: split(entry, '/')[4]
  }
)
var registryEntries = map(
  filter(scopeEntries, entry => length(split(entry, '/')) == 9),
  entry => {
    subscriptionId: split(entry, '/')[2]
    resourceGroup: split(entry, '/')[4]
    registry: split(entry, '/')[8]
  }
)
// Custom roles are assignable at subscriptions and resource groups; a registry's group covers the registry.
var operatorAssignableScopes = union(
  map(subscriptionEntries, id => '/subscriptions/${id}'),
  map(resourceGroupEntries, group => '/subscriptions/${group.subscriptionId}/resourceGroups/${group.resourceGroup}'),
  map(registryEntries, registry => '/subscriptions/${registry.subscriptionId}/resourceGroups/${registry.resourceGroup}')
)
// Subscriptions where the app has only some registries: delete polls and the locations list are checked
// at subscription scope, so these get the operation reader role there (and nothing that writes).
var partialSubscriptions = filter(
  union(map(resourceGroupEntries, group => group.subscriptionId), map(registryEntries, registry => registry.subscriptionId)),
  id => !contains(subscriptionEntries, id)
)
var privateEndpointGroups = map(
  filter(
    map(split(privateEndpointResourceGroups, [',', ';', ' ', '\t', '\n', '\r']), entry => toLower(trim(entry))),
    entry => length(split(entry, '/')) == 5
  ),
  entry => {
    subscriptionId: split(entry, '/')[2]
    resourceGroup: split(entry, '/')[4]
  }
)

// ---- custom roles ----

// Exactly what replica lifecycle and healing need on registries; nothing that writes registries themselves.
var replicaOperatorActions = [
  'Microsoft.ContainerRegistry/registries/read'
  'Microsoft.ContainerRegistry/registries/listUsages/read'
  'Microsoft.ContainerRegistry/registries/replications/read'
  'Microsoft.ContainerRegistry/registries/replications/write'
  'Microsoft.ContainerRegistry/registries/replications/delete'
  'Microsoft.ContainerRegistry/registries/replications/operationStatuses/read'
  'Microsoft.ContainerRegistry/locations/operationResults/read'
  'Microsoft.Resources/subscriptions/locations/read'
]
// The subscription-scope reads among them, for subscriptions the fleet covers only in part.
var operationReaderActions = [
  'Microsoft.ContainerRegistry/locations/operationResults/read'
  'Microsoft.Resources/subscriptions/locations/read'
]
// What ARM requires of whoever creates a replica on a registry with private endpoints.
var privateLinkActions = [
  'Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write'
]

// Role definition names are GUIDs fixed here, so assignments can name them before the definitions exist.
var replicaOperatorRoleGuid = guid(subscription().id, resourceToken, 'replica-operator')
var operationReaderRoleGuid = guid(subscription().id, resourceToken, 'replica-operation-reader')
var privateLinkRoleGuid = guid(subscription().id, resourceToken, 'private-link-proxy-writer')
var privateLinkAssignableScopes = map(
  privateEndpointGroups,
  group => '/subscriptions/${group.subscriptionId}/resourceGroups/${group.resourceGroup}'
)

// The subscription of a role's first assignable scope, where its definition is written.
func homeSubscription(scopes array, fallback string) string => split(first(concat(scopes, [fallback])), '/')[2]

module replicaOperatorRole 'access/custom-role.bicep' = if (!empty(operatorAssignableScopes)) {
  name: 'role-replica-operator'
  scope: subscription(homeSubscription(operatorAssignableScopes, subscription().id))
  params: {
    roleGuid: replicaOperatorRoleGuid
    roleName: 'ACR Replica Guard Replica Operator (${environmentName}-${resourceToken})'
    roleDescription: 'Reads registries and creates, updates and deletes their replications; follows their long-running operations.'
    actions: replicaOperatorActions
    assignableScopes: operatorAssignableScopes
  }
}

module operationReaderRole 'access/custom-role.bicep' = if (!empty(partialSubscriptions)) {
  name: 'role-replica-operation-reader'
  scope: subscription(first(concat(partialSubscriptions, [subscription().subscriptionId])))
  params: {
    roleGuid: operationReaderRoleGuid
    roleName: 'ACR Replica Guard Operation Reader (${environmentName}-${resourceToken})'
    roleDescription: 'Follows replica deletions to their end and lists the subscription\'s locations.'
    actions: operationReaderActions
    assignableScopes: map(partialSubscriptions, id => '/subscriptions/${id}')
  }
}

module privateLinkRole 'access/custom-role.bicep' = if (!empty(privateLinkAssignableScopes)) {
  name: 'role-private-link-proxy-writer'
  scope: subscription(homeSubscription(privateLinkAssignableScopes, subscription().id))
  params: {
    roleGuid: privateLinkRoleGuid
    roleName: 'ACR Replica Guard Private Link Proxy Writer (${environmentName}-${resourceToken})'
    roleDescription: 'Lets the replica guard create replicas on registries with private endpoints; holds only the private-link proxy write.'
    actions: privateLinkActions
    assignableScopes: privateLinkAssignableScopes
  }
}
// Where the app finds the role; any subscription's path names the same directory-wide definition.
var privateLinkRoleId = '/subscriptions/${homeSubscription(privateLinkAssignableScopes, subscription().id)}/providers/Microsoft.Authorization/roleDefinitions/${privateLinkRoleGuid}'

// ---- the app's resource group ----

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    skuName: 'Standard_LRS'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    blobServices: {
      containers: [
        {
          name: deploymentContainerName
        }
      ]
    }
    tableServices: {
      tables: [
        {
          name: auditTableName
        }
        {
          name: watchTableName
        }
        {
          name: desiredReplicasTableName
        }
      ]
    }
  }
}

module auditAnchors 'app/audit-anchors.bicep' = {
  name: 'audit-anchors'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    containerName: auditAnchorContainerName
    retentionDays: auditAnchorRetentionDays
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: 'log-analytics'
  scope: rg
  params: {
    name: 'log-${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
    features: {
      disableLocalAuth: true
    }
  }
}

module applicationInsights 'br/public:avm/res/insights/component:0.6.0' = {
  name: 'application-insights'
  scope: rg
  params: {
    name: 'appi-${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true
  }
}

module keyVault 'br/public:avm/res/key-vault/vault:0.14.0' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    sku: 'standard'
    enableRbacAuthorization: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 7
    enableVaultForDeployment: false
    enableVaultForTemplateDeployment: false
    enableVaultForDiskEncryption: false
  }
}

module plan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'plan'
  scope: rg
  params: {
    name: 'plan-${resourceToken}'
    location: location
    tags: tags
    kind: 'FunctionApp'
    reserved: true
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
  }
}

module appAccess 'app/app-access.bicep' = {
  name: 'app-access'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: applicationInsights.outputs.name
  }
}

// ---- secrets: written to Key Vault only when given, and referenced only when written ----

module slackSecret 'app/secret.bicep' = if (!empty(slackSigningSecret)) {
  name: 'secret-slack-signing'
  scope: rg
  params: {
    vaultName: keyVault.outputs.name
    secretName: 'slack-signing-secret'
    value: slackSigningSecret
    principalId: identity.outputs.principalId
  }
}

module teamsSecret 'app/secret.bicep' = if (!empty(teamsWebhookSecret)) {
  name: 'secret-teams-webhook'
  scope: rg
  params: {
    vaultName: keyVault.outputs.name
    secretName: 'teams-webhook-secret'
    value: teamsWebhookSecret
    principalId: identity.outputs.principalId
  }
}

module notifySecret 'app/secret.bicep' = if (!empty(slackNotifyWebhookUrl)) {
  name: 'secret-slack-notify'
  scope: rg
  params: {
    vaultName: keyVault.outputs.name
    secretName: 'slack-notify-webhook-url'
    value: slackNotifyWebhookUrl
    principalId: identity.outputs.principalId
  }
}

module auditSecret 'app/secret.bicep' = if (!empty(auditSigningKey)) {
  name: 'secret-audit-signing'
  scope: rg
  params: {
    vaultName: keyVault.outputs.name
    secretName: 'audit-signing-key'
    value: auditSigningKey
    principalId: identity.outputs.principalId
  }
}

func keyVaultReference(vaultName string, secretName string) string => '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

// ---- the app ----

// The app's own settings (the host's are built in app/function-app.bicep).
var appSettings = {
  TASK_HUB_NAME: taskHubName
  REGISTRY_SCOPE: registryScope
  HEAL_POLICY: healPolicy
  HEAL_SCHEDULE: healSchedule
  AUDIT_TABLE: auditTableName
  WATCH_TABLE: watchTableName
  DESIRED_REPLICAS_TABLE: desiredReplicasTableName
  AZURE_CLIENT_ID: identity.outputs.clientId
  APP_PRINCIPAL_ID: identity.outputs.principalId
}
var approverSettings = union(
  empty(slackApprovers) ? {} : { SLACK_APPROVERS: slackApprovers },
  empty(slackHealers) ? {} : { SLACK_HEALERS: slackHealers },
  empty(slackTeamId) ? {} : { SLACK_TEAM_ID: slackTeamId }
)
var healRoleSettings = empty(privateEndpointGroups) ? {} : { HEAL_ROLE_DEFINITION_ID: privateLinkRoleId }
var secretSettings = union(
  empty(slackSigningSecret) ? {} : { SLACK_SIGNING_SECRET: keyVaultReference(keyVault.outputs.name, 'slack-signing-secret') },
  empty(teamsWebhookSecret) ? {} : { TEAMS_WEBHOOK_SECRET: keyVaultReference(keyVault.outputs.name, 'teams-webhook-secret') },
  empty(slackNotifyWebhookUrl) ? {} : { SLACK_NOTIFY_WEBHOOK_URL: keyVaultReference(keyVault.outputs.name, 'slack-notify-webhook-url') },
  empty(auditSigningKey) ? {} : { AUDIT_SIGNING_KEY: keyVaultReference(keyVault.outputs.name, 'audit-signing-key') }
)

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    planId: plan.outputs.resourceId
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: applicationInsights.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    appSettings: union(appSettings, approverSettings, healRoleSettings, secretSettings)
  }
  dependsOn: [
    appAccess
    slackSecret
    teamsSecret
    notifySecret
    auditSecret
  ]
}

// ---- the app's roles on the fleet, each at the scope REGISTRY_SCOPE names ----

module subscriptionOperator 'access/subscription-role.bicep' = [
  for id in subscriptionEntries: {
    name: 'replica-operator-${uniqueString(id)}'
    scope: subscription(id)
    params: {
      principalId: identity.outputs.principalId
      roleDefinitionGuid: replicaOperatorRoleGuid
      reason: 'Replica guard: manages replications of every registry in this subscription.'
    }
    dependsOn: [
      replicaOperatorRole
    ]
  }
]

module resourceGroupOperator 'access/resource-group-role.bicep' = [
  for group in resourceGroupEntries: {
    name: 'replica-operator-${uniqueString(group.subscriptionId, group.resourceGroup)}'
    scope: resourceGroup(group.subscriptionId, group.resourceGroup)
    params: {
      principalId: identity.outputs.principalId
      roleDefinitionGuid: replicaOperatorRoleGuid
      reason: 'Replica guard: manages replications of the registries in this resource group.'
    }
    dependsOn: [
      replicaOperatorRole
    ]
  }
]

module registryOperator 'access/registry-role.bicep' = [
  for registry in registryEntries: {
    name: 'replica-operator-${uniqueString(registry.subscriptionId, registry.resourceGroup, registry.registry)}'
    scope: resourceGroup(registry.subscriptionId, registry.resourceGroup)
    params: {
      registryName: registry.registry
      principalId: identity.outputs.principalId
      roleDefinitionGuid: replicaOperatorRoleGuid
      reason: 'Replica guard: manages replications of this registry.'
    }
    dependsOn: [
      replicaOperatorRole
    ]
  }
]

module operationReader 'access/subscription-role.bicep' = [
  for id in partialSubscriptions: {
    name: 'replica-operation-reader-${uniqueString(id)}'
    scope: subscription(id)
    params: {
      principalId: identity.outputs.principalId
      roleDefinitionGuid: operationReaderRoleGuid
      reason: 'Replica guard: follows replica deletions, whose status ARM reports at subscription scope.'
    }
    dependsOn: [
      operationReaderRole
    ]
  }
]

module privateLinkDelegation 'access/private-link-delegation.bicep' = [
  for group in privateEndpointGroups: {
    name: 'private-link-delegation-${uniqueString(group.subscriptionId, group.resourceGroup)}'
    scope: resourceGroup(group.subscriptionId, group.resourceGroup)
    params: {
      principalId: identity.outputs.principalId
      privateLinkRoleGuid: privateLinkRoleGuid
    }
    dependsOn: [
      privateLinkRole
    ]
  }
]

// ---- outputs azd keeps in the environment ----

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output APP_PRINCIPAL_ID string = identity.outputs.principalId
output HEAL_ROLE_DEFINITION_ID string = empty(privateEndpointGroups) ? '' : privateLinkRoleId
