// Which private-link role the app may assign itself, from its settings, and why it may not when it may
// not. Read by the grant and by a replica create's preflight, so both refuse alike and neither widens
// the app's rights on its own.
import { privateLinkRoleSource } from '../../config/settings';
import type { PrivateLinkRoleSource } from '../../config/settings';

export type PrivateLinkRolePlan =
  { ok: true; source: Exclude<PrivateLinkRoleSource, { kind: 'none' }> } | { ok: false; reason: string };

export const NO_PRIVATE_LINK_ROLE =
  'the app has no private-link role to assign itself: set HEAL_ROLE_DEFINITION_ID to the role the ' +
  'infrastructure created, or HEAL_ROLE_CREATE=true to let the app create one (which needs ' +
  'Microsoft.Authorization/roleDefinitions/write), or grant the permission yourself';

export function privateLinkRolePlan(): PrivateLinkRolePlan {
  let source: PrivateLinkRoleSource;
  try {
    source = privateLinkRoleSource();
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  return source.kind === 'none' ? { ok: false, reason: NO_PRIVATE_LINK_ROLE } : { ok: true, source };
}
