// The registries in the app's scope, listed with as few ARM calls as the scope allows: one paged list
// per subscription or resource group, one GET per single registry.
import { parseRegistryId, registryKey } from '../domain';
import type { RegistryScope, RegistryView } from '../domain';
import type { ReplicaGateway } from './replicas';

export async function listRegistriesInScope(
  replicas: ReplicaGateway,
  scope: RegistryScope,
): Promise<RegistryView[]> {
  const found = new Map<string, RegistryView>();
  const add = (views: (RegistryView | undefined)[]): void => {
    for (const view of views) if (view !== undefined) found.set(registryKey(parseRegistryId(view.id)), view);
  };
  add((await Promise.all(scope.subscriptions.map((s) => replicas.listRegistries(s)))).flat());
  add(
    (
      await Promise.all(
        scope.resourceGroups.map((g) => replicas.listRegistries(g.subscriptionId, g.resourceGroup)),
      )
    ).flat(),
  );
  add(await Promise.all(scope.registries.map((r) => replicas.getRegistry(r))));
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
