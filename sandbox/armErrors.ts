// ARM's common error answers, with the codes and message styles ARM uses.
import { RESOURCE_MANAGER_API_VERSIONS } from './apiVersions';
import { ArmError } from './types';

export function subscriptionNotFound(subscriptionId: string): ArmError {
  return new ArmError(
    404,
    'SubscriptionNotFound',
    `The subscription '${subscriptionId}' could not be found.`,
  );
}

export function resourceGroupNotFound(resourceGroup: string): ArmError {
  return new ArmError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
}

/** `type` is e.g. "Microsoft.ContainerRegistry/registries/myregistry/replications/westus". */
export function resourceNotFound(typeAndName: string, resourceGroup: string): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${typeAndName}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function parentResourceNotFound(parent: string): ArmError {
  return new ArmError(
    404,
    'ParentResourceNotFound',
    `Can not perform requested operation on nested resource. Parent resource '${parent}' not found.`,
  );
}

export function locationNotAvailable(
  location: string,
  resourceType: string,
  available: readonly string[],
): ArmError {
  return new ArmError(
    400,
    'LocationNotAvailableForResourceType',
    `The provided location '${location}' is not available for resource type '${resourceType}'. List of available regions for the resource type is '${available.join(',')}'.`,
  );
}

export function invalidRequestContent(message: string): ArmError {
  return new ArmError(400, 'InvalidRequestContent', message);
}

export function missingApiVersion(): ArmError {
  return new ArmError(
    400,
    'MissingApiVersionParameter',
    'The api-version query parameter (?api-version=) is required for all requests.',
  );
}

export function unsupportedApiVersion(apiVersion: string, supported: readonly string[]): ArmError {
  return new ArmError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${apiVersion}' is invalid. The supported versions are '${supported.join(',')}'.`,
  );
}

/**
 * A resource provider route asked for with a version the provider does not register, worded as ARM
 * words it (e.g. Azure/acr#70, JulianHayward/Azure-MG-Sub-Governance-Reporting#266).
 */
export function noRegisteredProviderFound(
  location: string,
  apiVersion: string,
  resourceType: string,
  supported: readonly string[],
  locations: readonly string[],
): ArmError {
  return new ArmError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${resourceType}'. The supported api-versions are '${supported.join(', ')}'. The supported locations are '${locations.join(', ')}'.`,
  );
}

/**
 * A path with an empty segment (`//`) reaches no resource provider: ARM's gateway answers as for one of
 * its own routes with an api-version it does not know (Azure/azure-cli#28038, an empty resource group
 * name; Azure/azure-cli#22684, a malformed URI).
 */
export function unroutablePath(apiVersion: string): ArmError {
  return new ArmError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${apiVersion}' is invalid. The supported versions are '${RESOURCE_MANAGER_API_VERSIONS.join(',')}'.`,
    { 'x-ms-failure-cause': 'gateway' },
  );
}

export function pathNotFound(path: string): ArmError {
  return new ArmError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${path}'.`);
}

export function methodNotAllowed(method: string): ArmError {
  return new ArmError(
    405,
    'MethodNotAllowed',
    `The requested resource does not support http method '${method}'.`,
  );
}
