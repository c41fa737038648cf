// The replica operator role for the app's identity on one resource group named in REGISTRY_SCOPE: every
// registry in the group, and nothing else in the subscription.
targetScope = 'resourceGroup'

@description('Object id of the app\'s user-assigned managed identity.')
param principalId string

@description('GUID of the custom role definition to assign.')
param roleDefinitionGuid string

@description('Why the assignment exists; shown beside it in the portal.')
param reason string

var roleDefinitionId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionGuid)

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleDefinitionGuid)
  properties: {
    roleDefinitionId: roleDefinitionId
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: reason
  }
}

output assignmentId string = assignment.id
