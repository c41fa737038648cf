// Which registry a chat user means: a name looked up among the registries in scope (case-insensitive),
// or a full resource id, which must be in scope too. Near misses get the closest names as suggestions.
import { listRegistriesInScope } from '../azure/fleet';
import type { ReplicaGateway } from '../azure/replicas';
import { inScope, parseRegistryId } from '../domain';
import type { RegistryId, RegistryScope, RegistryView } from '../domain';

export type Resolution =
  | { ok: true; id: RegistryId; registry: RegistryView }
  | { ok: false; reason: 'unknown' | 'ambiguous' | 'out-of-scope'; message: string };

const SUGGESTIONS = 5;

export async function resolveRegistry(
  text: string,
  replicas: ReplicaGateway,
  scope: RegistryScope,
): Promise<Resolution> {
  if (text.startsWith('/')) {
    const id = parseRegistryId(text, 'registry');
    if (!inScope(scope, id))
      return {
        ok: false,
        reason: 'out-of-scope',
        message: `Registry ${id.registryName} is not in the scope this app manages.`,
      };
    const registry = await replicas.getRegistry(id);
    if (registry === undefined)
      return { ok: false, reason: 'unknown', message: `Registry ${text} was not found.` };
    return { ok: true, id, registry };
  }
  return matchRegistry(text, await listRegistriesInScope(replicas, scope));
}

/** Picks the registry named `name` from those in scope. Pure. */
export function matchRegistry(name: string, registries: readonly RegistryView[]): Resolution {
  const wanted = name.toLowerCase();
  const matches = registries.filter((r) => r.name.toLowerCase() === wanted);
  const [only] = matches;
  if (matches.length === 1 && only !== undefined)
    return { ok: true, id: parseRegistryId(only.id), registry: only };
  if (matches.length > 1) {
    return {
      ok: false,
      reason: 'ambiguous',
      message: [
        `${matches.length} registries in scope are named ${name}; give the resource id of one:`,
        ...matches.map((r) => `  ${r.id}`),
      ].join('\n'),
    };
  }
  const closest = closestNames(
    wanted,
    registries.map((r) => r.name),
  );
  return {
    ok: false,
    reason: 'unknown',
    message:
      closest.length === 0
        ? `No registry named ${name} in scope.`
        : `No registry named ${name} in scope. Did you mean: ${closest.join(', ')}?`,
  };
}

/** The names nearest to `wanted` by edit distance, those sharing a prefix or substring first. */
export function closestNames(wanted: string, names: readonly string[]): string[] {
  const scored = [...new Set(names)].map((name) => {
    const lower = name.toLowerCase();
    const related = lower.includes(wanted) || wanted.includes(lower) ? 0 : 1;
    return { name, related, distance: editDistance(wanted, lower) };
  });
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return scored
    .filter((s) => s.related === 0 || s.distance <= limit)
    .sort((a, b) => a.related - b.related || a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, SUGGESTIONS)
    .map((s) => s.name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
