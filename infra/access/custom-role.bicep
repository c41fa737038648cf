// One custom role definition, created in the subscription of its first assignable scope: custom roles are
// directory-wide, and the scope they are written at must be one of, or above, the scopes they may be
// assigned at.
targetScope = 'subscription'

@description('GUID that names the role definition; assignments refer to it in every subscription.')
param roleGuid string

@description('Display name; unique in the directory, so it carries the environment.')
param roleName string

param roleDescription string

@description('The actions the role grants: no wildcards, no data actions.')
param actions array

@description('Subscription and resource group ids the role may be assigned at (or below).')
param assignableScopes array

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: roleGuid
  properties: {
    roleName: roleName
    description: roleDescription
    type: 'CustomRole'
    permissions: [
      {
        actions: actions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

output roleDefinitionId string = role.id
