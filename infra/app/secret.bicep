// One Key Vault secret the app reads through a Key Vault reference, with Key Vault Secrets User for the
// app's identity on that secret alone.
@description('Name of the Key Vault (RBAC authorisation).')
param vaultName string

@description('Name of the secret in the vault.')
param secretName string

@secure()
@description('The secret\'s value; writing it again stores a new version, which versionless references pick up.')
param value string

@description('Object id of the app\'s user-assigned managed identity.')
param principalId string

// Key Vault Secrets User: read secret contents, nothing else.
var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretName
  properties: {
    value: value
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(secret.id, principalId, secretsUser)
  scope: secret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = secret.name
