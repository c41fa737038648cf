// Which registries the app looks after: whole subscriptions, resource groups, or single registries.
import {
  formatRegistryId,
  parseRegistryId,
  registryKey,
  validateResourceGroup,
  validateSubscriptionId,
} from './resourceId';
import type { RegistryId } from './resourceId';
import { ValidationError } from './validationError';

export interface RegistryScope {
  subscriptions: string[];
  resourceGroups: { subscriptionId: string; resourceGroup: string }[];
  registries: RegistryId[];
}

const GROUP_PATTERN = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/?$/i;

/**
 * Parses a comma- or whitespace-separated list of subscription ids, resource group ids
 * (`/subscriptions/{s}/resourceGroups/{rg}`) and registry ids.
 */
export function parseRegistryScope(text: string, field = 'REGISTRY_SCOPE'): RegistryScope {
  const scope: RegistryScope = { subscriptions: [], resourceGroups: [], registries: [] };
  for (const item of text.split(/[\s,;]+/).filter((part) => part !== '')) {
    const group = GROUP_PATTERN.exec(item);
    if (/^[0-9a-f-]{36}$/i.test(item)) scope.subscriptions.push(validateSubscriptionId(item, field));
    else if (/^\/subscriptions\/[^/]+\/?$/i.test(item)) {
      scope.subscriptions.push(validateSubscriptionId(item.split('/')[2] ?? '', field));
    } else if (group !== null) {
      scope.resourceGroups.push({
        subscriptionId: validateSubscriptionId(group[1] ?? '', field),
        resourceGroup: validateResourceGroup(group[2] ?? '', field),
      });
    } else if (item.startsWith('/')) scope.registries.push(parseRegistryId(item, field));
    else
      throw new ValidationError(
        field,
        `"${item}" is neither a subscription id, a resource group id nor a registry id`,
      );
  }
  return scope;
}

export function isEmptyScope(scope: RegistryScope): boolean {
  return scope.subscriptions.length + scope.resourceGroups.length + scope.registries.length === 0;
}

/** Whether the registry is one the app looks after: in a subscription, resource group or list of the scope. */
export function inScope(scope: RegistryScope, registry: RegistryId): boolean {
  const id = formatRegistryId(registry).toLowerCase();
  return (
    scope.subscriptions.some((s) => id.startsWith(`/subscriptions/${s.toLowerCase()}/`)) ||
    scope.resourceGroups.some((g) =>
      id.startsWith(`/subscriptions/${g.subscriptionId}/resourcegroups/${g.resourceGroup}/`.toLowerCase()),
    ) ||
    scope.registries.some((r) => registryKey(r) === id)
  );
}
