// api-versions the sandbox serves: those the SDK clients the product uses send.

/** @azure/arm-containerregistry 12. */
export const CONTAINER_REGISTRY_API_VERSIONS: readonly string[] = ['2025-11-01'];
/** @azure/arm-resources-subscriptions 2. */
export const SUBSCRIPTIONS_API_VERSIONS: readonly string[] = ['2022-12-01'];

export const CONTAINER_REGISTRY_API_VERSION = '2025-11-01';
