// Data-plane roles for the app's identity in its own resource group, each on the one resource that needs
// it: the storage account (host, Durable task hub, audit and watch tables, deployment package) and
// Application Insights (Entra-authenticated telemetry ingestion).
@description('Object id of the app\'s user-assigned managed identity.')
param principalId string

param storageAccountName string

param applicationInsightsName string

// Storage Blob Data Owner: the host's leases and secrets containers, the Durable provider's lease blobs and
// large-message blobs, and the Flex deployment package container (names are made at run time).
var blobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Queue Data Contributor: the Durable provider's control and work-item queues.
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor: the Durable history and instance tables, the audit trail, the watch table
// and the desired replica sets.
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Monitoring Metrics Publisher: telemetry ingestion with an Entra token, since local auth is disabled.
var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [blobDataOwner, queueDataContributor, tableDataContributor]: {
    name: guid(storage.id, principalId, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, metricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
