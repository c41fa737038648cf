// The audit trail's anchors: a blob container whose time-based immutability policy lets the app append to
// its append blobs but lets nobody change or delete what was appended, not even with the account's keys,
// so someone who can rewrite the audit table cannot rewind what the anchors recorded.
@description('Name of the storage account that holds the audit trail.')
param storageAccountName string

@description('Name of the anchors\' container: the audit table\'s name in lower case, then -anchors.')
param containerName string

@minValue(1)
@maxValue(146000)
@description('Days each anchor blob stays unchangeable after it is created.')
param retentionDays int

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}

// Deployed unlocked, so the retention can still be changed while the deployment is young; lock it once the
// retention suits (docs/deploy.md): a locked policy cannot be removed or shortened by anyone.
resource immutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: container
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: retentionDays
    allowProtectedAppendWrites: true
  }
}

output containerName string = container.name
