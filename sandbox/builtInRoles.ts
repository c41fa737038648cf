// Built-in Azure roles the sandbox knows, with their well-known ids and published permissions.
// Built-in role ids are the same in every tenant and cloud, so code may hard-code them.

import type { SeedPermission } from './types';

export interface BuiltInRole {
  name: string;
  roleName: string;
  description: string;
  permissions: Required<SeedPermission>[];
  createdOn: string;
  updatedOn: string;
}

function control(actions: string[], notActions: string[] = []): Required<SeedPermission> {
  return { actions, notActions, dataActions: [], notDataActions: [] };
}

export const OWNER_ROLE_ID = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
export const CONTRIBUTOR_ROLE_ID = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
export const READER_ROLE_ID = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
export const USER_ACCESS_ADMINISTRATOR_ROLE_ID = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';
export const RBAC_ADMINISTRATOR_ROLE_ID = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168';
export const ACR_PULL_ROLE_ID = '7f951dda-4ed3-4680-a7ca-43fe172d538d';
export const CONTAINER_REGISTRY_CONTRIBUTOR_ROLE_ID = '3bc748fc-213d-45c1-8d91-9da5725539b9';

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    name: OWNER_ROLE_ID,
    roleName: 'Owner',
    description:
      'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: [control(['*'])],
    createdOn: '2015-02-02T21:55:09.880Z',
    updatedOn: '2021-11-11T20:13:45.851Z',
  },
  {
    name: CONTRIBUTOR_ROLE_ID,
    roleName: 'Contributor',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    permissions: [
      control(
        ['*'],
        [
          'Microsoft.Authorization/*/Delete',
          'Microsoft.Authorization/*/Write',
          'Microsoft.Authorization/elevateAccess/Action',
          'Microsoft.Blueprint/blueprintAssignments/write',
          'Microsoft.Blueprint/blueprintAssignments/delete',
          'Microsoft.Compute/galleries/share/action',
          'Microsoft.Purview/consents/write',
          'Microsoft.Purview/consents/delete',
        ],
      ),
    ],
    createdOn: '2015-02-02T21:55:09.880Z',
    updatedOn: '2023-07-10T15:10:53.119Z',
  },
  {
    name: READER_ROLE_ID,
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: [control(['*/read'])],
    createdOn: '2015-02-02T21:55:09.880Z',
    updatedOn: '2021-11-11T20:13:47.862Z',
  },
  {
    name: USER_ACCESS_ADMINISTRATOR_ROLE_ID,
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    permissions: [control(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'])],
    createdOn: '2015-02-02T21:55:09.880Z',
    updatedOn: '2021-11-11T20:13:50.659Z',
  },
  {
    name: RBAC_ADMINISTRATOR_ROLE_ID,
    roleName: 'Role Based Access Control Administrator',
    description:
      'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
    permissions: [
      control([
        'Microsoft.Authorization/roleAssignments/write',
        'Microsoft.Authorization/roleAssignments/delete',
        '*/read',
        'Microsoft.Support/*',
      ]),
    ],
    createdOn: '2022-09-06T22:26:26.407Z',
    updatedOn: '2023-11-10T21:06:25.701Z',
  },
  {
    name: ACR_PULL_ROLE_ID,
    roleName: 'AcrPull',
    description: 'acr pull',
    permissions: [control(['Microsoft.ContainerRegistry/registries/pull/read'])],
    createdOn: '2018-03-15T23:21:38.087Z',
    updatedOn: '2021-11-11T20:13:14.236Z',
  },
  {
    // Published action list as of mid-2025. Note that it includes the private-link proxy write
    // permission that replica creation on private-endpoint registries needs.
    name: CONTAINER_REGISTRY_CONTRIBUTOR_ROLE_ID,
    roleName: 'Container Registry Contributor and Data Access Configuration Administrator',
    description:
      'Provides permissions to create, list, and update container registries and registry configuration properties. Provides permissions to configure data access such as admin user credentials, scope maps, and tokens, which can be used to read, write or delete repositories and images. Does not provide direct permissions to read, list, or write registry contents including repositories and images. Does not provide permissions to modify data plane content such as imports, Artifact Cache or Sync, and Transfer Pipelines. Does not provide permissions for managing Tasks.',
    permissions: [
      control([
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        'Microsoft.ContainerRegistry/registries/operationStatuses/read',
        'Microsoft.ContainerRegistry/registries/read',
        'Microsoft.ContainerRegistry/registries/write',
        'Microsoft.ContainerRegistry/registries/delete',
        'Microsoft.ContainerRegistry/registries/listCredentials/action',
        'Microsoft.ContainerRegistry/registries/regenerateCredential/action',
        'Microsoft.ContainerRegistry/registries/generateCredentials/action',
        'Microsoft.ContainerRegistry/registries/replications/read',
        'Microsoft.ContainerRegistry/registries/replications/write',
        'Microsoft.ContainerRegistry/registries/replications/delete',
        'Microsoft.ContainerRegistry/registries/replications/operationStatuses/read',
        'Microsoft.ContainerRegistry/registries/privateEndpointConnectionsApproval/action',
        'Microsoft.ContainerRegistry/registries/privateEndpointConnections/read',
        'Microsoft.ContainerRegistry/registries/privateEndpointConnections/write',
        'Microsoft.ContainerRegistry/registries/privateEndpointConnections/delete',
        'Microsoft.ContainerRegistry/registries/privateEndpointConnections/operationStatuses/read',
        'Microsoft.ContainerRegistry/registries/tokens/read',
        'Microsoft.ContainerRegistry/registries/tokens/write',
        'Microsoft.ContainerRegistry/registries/tokens/delete',
        'Microsoft.ContainerRegistry/registries/tokens/operationStatuses/read',
        'Microsoft.ContainerRegistry/registries/scopeMaps/read',
        'Microsoft.ContainerRegistry/registries/scopeMaps/write',
        'Microsoft.ContainerRegistry/registries/scopeMaps/delete',
        'Microsoft.ContainerRegistry/registries/scopeMaps/operationStatuses/read',
        'Microsoft.ContainerRegistry/registries/providers/Microsoft.Insights/diagnosticSettings/read',
        'Microsoft.ContainerRegistry/registries/providers/Microsoft.Insights/diagnosticSettings/write',
        'Microsoft.ContainerRegistry/registries/providers/Microsoft.Insights/logDefinitions/read',
        'Microsoft.ContainerRegistry/registries/providers/Microsoft.Insights/metricDefinitions/read',
        'Microsoft.Resources/deployments/*',
        'Microsoft.Authorization/*/read',
        'Microsoft.ContainerRegistry/registries/connectedRegistries/read',
        'Microsoft.ContainerRegistry/registries/connectedRegistries/write',
        'Microsoft.ContainerRegistry/registries/connectedRegistries/delete',
        'Microsoft.ContainerRegistry/registries/connectedRegistries/deactivate/action',
        'Microsoft.ContainerRegistry/registries/webhooks/read',
        'Microsoft.ContainerRegistry/registries/webhooks/write',
        'Microsoft.ContainerRegistry/registries/webhooks/delete',
        'Microsoft.ContainerRegistry/registries/webhooks/getCallbackConfig/action',
        'Microsoft.ContainerRegistry/registries/webhooks/ping/action',
        'Microsoft.ContainerRegistry/registries/webhooks/listEvents/action',
        'Microsoft.ContainerRegistry/registries/webhooks/operationStatuses/read',
        'Microsoft.Insights/AlertRules/Write',
        'Microsoft.Insights/AlertRules/Delete',
        'Microsoft.Insights/AlertRules/Read',
        'Microsoft.Insights/AlertRules/Activated/Action',
        'Microsoft.Insights/AlertRules/Resolved/Action',
        'Microsoft.Insights/AlertRules/Throttled/Action',
        'Microsoft.Insights/AlertRules/Incidents/Read',
        'Microsoft.ContainerRegistry/locations/operationResults/read',
        'Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action',
        'Microsoft.Network/virtualNetworks/subnets/read',
        'Microsoft.Network/virtualNetworks/subnets/write',
        'Microsoft.Network/virtualNetworks/read',
        'Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write',
      ]),
    ],
    createdOn: '2024-03-15T00:00:00.000Z',
    updatedOn: '2025-06-30T00:00:00.000Z',
  },
];
