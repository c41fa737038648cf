// Seeding: the demo fleet has what a demo needs, and bad seeds are refused.
import { clearSandboxContext, createSandboxContext, lifecycleEnv } from '../context';
import { PRIVATE_LINK_PROXY_WRITE, operationStatus, viewReplica } from '../replicaLifecycle';
import { SeedError, applySeed, readSeedFile } from '../seed';
import { DEFAULT_TIMINGS, demoSeedFile } from '../server';
import type { SandboxContext } from '../context';
import type { SeedDocument } from '../types';
import { OWNER_ROLE_ID } from '../builtInRoles';

const config = {
  pageSize: 10,
  timings: DEFAULT_TIMINGS,
  recreateBlockSeconds: 60,
  rbacPropagationSeconds: 0,
  listLagSeconds: 0,
  throttling: true,
};

async function demoContext(): Promise<{ ctx: SandboxContext; doc: SeedDocument }> {
  const doc = await readSeedFile(demoSeedFile());
  const ctx = createSandboxContext(doc.tenantId ?? '', 1, config);
  applySeed(doc, ctx);
  return { ctx, doc };
}

describe('demo seed', () => {
  it('holds one subscription with eight regions, registries in several resource groups, Premium and Standard', async () => {
    const { ctx } = await demoContext();
    const registries = [...ctx.state.registries.values()];

    expect([...ctx.state.subscriptions.values()].map((s) => s.locations.length)).toEqual([8]);
    expect(new Set(registries.map((r) => r.resourceGroup)).size).toBeGreaterThanOrEqual(2);
    expect(registries.filter((r) => r.sku === 'Standard')).toHaveLength(1);
    expect(registries.some((r) => r.sizeGiB >= 1000)).toBe(true);
  });

  it('gives the app identity registry rights, and role-assignment rights only for its private-link role to itself', async () => {
    const { ctx, doc } = await demoContext();
    const app = ctx.state.systemAssigned()!;
    const secure = [...ctx.state.registries.values()].find((r) => r.privateEndpoints.length > 0)!;
    const endpoint = secure.privateEndpoints[0]!;
    const write = 'Microsoft.Authorization/roleAssignments/write';
    const privateLinkRole = doc.roleDefinitions?.find((role) =>
      role.permissions[0]?.actions?.includes(PRIVATE_LINK_PROXY_WRITE),
    )?.name;
    const asking = (roleDefinitionId: string, principalId: string) => ({
      request: { roleDefinitionId, principalId },
    });

    expect(
      ctx.rbac.isAllowed(
        app.objectId,
        `${secure.id}/replications/eastus`,
        'Microsoft.ContainerRegistry/registries/replications/write',
      ),
    ).toBe(true);
    expect(privateLinkRole).toBeDefined();
    expect(ctx.rbac.isAllowed(app.objectId, endpoint, write, asking(privateLinkRole!, app.objectId))).toBe(
      true,
    );
    expect(ctx.rbac.isAllowed(app.objectId, endpoint, write, asking(OWNER_ROLE_ID, app.objectId))).toBe(
      false,
    );
    expect(
      ctx.rbac.isAllowed(
        app.objectId,
        `/subscriptions/${secure.subscriptionId}`,
        write,
        asking(privateLinkRole!, app.objectId),
      ),
    ).toBe(false);
    expect(ctx.rbac.isAllowed(app.objectId, endpoint, PRIVATE_LINK_PROXY_WRITE)).toBe(false);
    expect(endpoint).not.toContain(`/resourceGroups/${secure.resourceGroup}/`);
  });

  it('has a replica stuck in Creating by the app identity and one Failed replica', async () => {
    const { ctx } = await demoContext();
    const env = lifecycleEnv(ctx);
    const replicas = [...ctx.state.registries.values()].flatMap((r) => [...r.replicas.values()]);

    const stuck = replicas.filter(
      (r) =>
        r.operationId !== undefined &&
        operationStatus(ctx.state.operations.get(r.operationId)!, ctx.clock.now() + 1e15) === 'InProgress',
    );
    expect(stuck.map((r) => r.systemData.createdBy)).toEqual([ctx.state.systemAssigned()!.objectId]);
    expect(replicas.filter((r) => viewReplica(r, env).provisioningState === 'Failed')).toHaveLength(1);
  });

  it('comes back after a reset of the context and a second seeding', async () => {
    const { ctx, doc } = await demoContext();

    clearSandboxContext(ctx);
    expect(ctx.state.registries.size).toBe(0);
    applySeed(doc, ctx);

    expect(ctx.state.registries.size).toBe(6);
  });
});

describe('seed validation', () => {
  const ctx = (): SandboxContext => createSandboxContext('tenant-a', 1, config);

  it('refuses a seed for another tenant', () => {
    expect(() => applySeed({ tenantId: 'tenant-b' }, ctx())).toThrow(SeedError);
  });

  it('refuses a registry in a subscription that is not seeded, and a create by an unknown principal', () => {
    const registry = {
      id: '/subscriptions/s1/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/crseed01',
      location: 'westeurope',
      sku: 'Premium' as const,
    };

    expect(() => applySeed({ registries: [registry] }, ctx())).toThrow(SeedError);
    expect(() =>
      applySeed(
        {
          subscriptions: [{ subscriptionId: 's1', locations: ['westeurope'] }],
          registries: [
            { ...registry, replicas: [{ location: 'northeurope', creating: { createdBy: 'nobody' } }] },
          ],
        },
        ctx(),
      ),
    ).toThrow(SeedError);
  });

  it('refuses role assignments naming unknown roles', () => {
    expect(() =>
      applySeed(
        { roleAssignments: [{ principalId: 'p', role: 'No Such Role', scope: '/subscriptions/s1' }] },
        ctx(),
      ),
    ).toThrow(SeedError);
  });
});
