// api-versions the sandbox serves. Microsoft.ContainerRegistry accepts every version ARM still lists
// for it, not only the one the product's SDK sends: a caller pinned to an older version works as it
// would against Azure, and one that sends an unknown version is refused as Azure refuses it.

/**
 * The versions published as REST definitions (the folder names under
 * specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/Registry/{stable,preview}
 * of the official specs) that ARM still names in its `api-supported-versions` answer header for
 * replications. Newest first, as ARM's error messages list them.
 */
export const CONTAINER_REGISTRY_API_VERSIONS: readonly string[] = [
  '2025-11-01',
  '2025-06-01-preview',
  '2025-05-01-preview',
  '2025-04-01',
  '2025-03-01-preview',
  '2024-11-01-preview',
  '2023-11-01-preview',
  '2023-08-01-preview',
  '2023-07-01',
  '2023-06-01-preview',
  '2023-01-01-preview',
  '2022-12-01',
  '2021-09-01',
];
/** @azure/arm-resources-subscriptions 2. */
export const SUBSCRIPTIONS_API_VERSIONS: readonly string[] = ['2022-12-01'];

/** The version @azure/arm-containerregistry 12 sends, used where the sandbox acts on its own (seeds). */
export const CONTAINER_REGISTRY_API_VERSION = '2025-11-01';

/**
 * ARM's own (Microsoft.Resources) versions, which ARM names when a request reaches no resource provider
 * route, e.g. because a path segment is empty (as quoted in such an answer, Azure/azure-cli#28038).
 */
export const RESOURCE_MANAGER_API_VERSIONS: readonly string[] = [
  '2023-07-01',
  '2023-07-01-preview',
  '2023-03-01-preview',
  '2022-12-01',
  '2022-11-01-preview',
  '2022-09-01',
  '2022-06-01',
  '2022-05-01',
  '2022-03-01-preview',
  '2022-01-01',
  '2021-04-01',
  '2021-01-01',
  '2020-10-01',
  '2020-09-01',
  '2020-08-01',
  '2020-07-01',
  '2020-06-01',
  '2020-05-01',
  '2020-01-01',
  '2019-11-01',
  '2019-10-01',
];
