// One role assignment for the app's identity on a whole subscription: the replica operator role where
// REGISTRY_SCOPE names the subscription, or the operation reader role where it names only some of its
// resource groups or registries (ARM checks delete polls and the locations list at subscription scope).
targetScope = 'subscription'

@description('Object id of the app\'s user-assigned managed identity.')
param principalId string

@description('GUID of the custom role definition to assign.')
param roleDefinitionGuid string

@description('Why the assignment exists; shown beside it in the portal.')
param reason string

var roleDefinitionId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionGuid)

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleDefinitionGuid)
  properties: {
    roleDefinitionId: roleDefinitionId
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: reason
  }
}

output assignmentId string = assignment.id
