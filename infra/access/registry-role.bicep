// The replica operator role for the app's identity on one registry named in REGISTRY_SCOPE: the narrowest
// scope ARM accepts for replica reads and writes.
targetScope = 'resourceGroup'

@description('Name of an existing container registry in this resource group.')
param registryName string

@description('Object id of the app\'s user-assigned managed identity.')
param principalId string

@description('GUID of the custom role definition to assign.')
param roleDefinitionGuid string

@description('Why the assignment exists; shown beside it in the portal.')
param reason string

var roleDefinitionId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionGuid)

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, principalId, roleDefinitionGuid)
  scope: registry
  properties: {
    roleDefinitionId: roleDefinitionId
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: reason
  }
}

output assignmentId string = assignment.id
