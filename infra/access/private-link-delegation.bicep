// Lets the app grant itself the private-link role, and nothing else, where the registries' private
// endpoints live: Role Based Access Control Administrator on one resource group, constrained by an ABAC
// condition to one role definition and one principal for both creating and deleting assignments.
targetScope = 'resourceGroup'

@description('Object id of the app\'s user-assigned managed identity: the only principal it may assign to.')
param principalId string

@description('GUID of the private-link role definition: the only role it may assign.')
param privateLinkRoleGuid string

// Built-in Role Based Access Control Administrator: role assignment writes and deletes, plus reads.
var rbacAdministratorRoleGuid = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'

// The condition's one source: the template beside the infrastructure, shared with anything else that must
// grant or evaluate the same delegation.
var conditionTemplate = trim(loadTextContent('../conditions/private-link-delegation.txt'))
var condition = replace(
  replace(conditionTemplate, '<roleDefinitionId>', privateLinkRoleGuid),
  '<principalId>',
  principalId
)

resource delegation 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, rbacAdministratorRoleGuid)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', rbacAdministratorRoleGuid)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Replica guard: may assign only its private-link role, only to itself, at these private endpoints.'
    condition: condition
    conditionVersion: '2.0'
  }
}

output assignmentId string = delegation.id
