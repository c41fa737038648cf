// The ABAC condition on the app's RBAC Administrator assignment: one template file, loaded as it is by
// the infrastructure, that constrains both the role definition and the principal, for role assignment
// writes (request attributes) and deletes (resource attributes).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { BicepFile } from './bicep';
import { REPO_ROOT, callsTo, declaration, descendants, fileNamed, literalString, loadInfra } from './bicep';

const TEMPLATE_PATH = 'infra/conditions/private-link-delegation.txt';
const ROLE = '<roleDefinitionId>';
const PRINCIPAL = '<principalId>';

function template(): string {
  return readFileSync(join(REPO_ROOT, TEMPLATE_PATH), 'utf8').trim();
}

/** What the infrastructure deploys: the trimmed template with both placeholders replaced. */
function render(roleDefinitionGuid: string, principalId: string): string {
  return template().split(ROLE).join(roleDefinitionGuid).split(PRINCIPAL).join(principalId);
}

/** The two top-level clauses joined by AND, each as one line of single-spaced text. */
function clauses(condition: string): string[] {
  const text = condition.replace(/\s+/g, ' ').trim();
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '(') depth += 1;
    if (text[index] === ')') depth -= 1;
    if (depth === 0 && text.startsWith(' AND ', index)) {
      parts.push(text.slice(start, index).trim());
      start = index + ' AND '.length;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function attribute(source: 'Request' | 'Resource', name: string, value: string): string {
  return `@${source}[Microsoft.Authorization/roleAssignments:${name}] ForAnyOfAnyValues:GuidEquals {${value}}`;
}

describe('private-link delegation condition', () => {
  let files: BicepFile[];
  beforeAll(async () => {
    files = await loadInfra();
  });

  it('gates writes on the requested role and principal, and deletes on the existing ones', () => {
    const [write, remove, ...rest] = clauses(template());
    expect(rest).toEqual([]);
    expect(write).toBe(
      `( ( !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}) ) OR ( ` +
        `${attribute('Request', 'RoleDefinitionId', ROLE)} AND ${attribute('Request', 'PrincipalId', PRINCIPAL)} ) )`,
    );
    expect(remove).toBe(
      `( ( !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}) ) OR ( ` +
        `${attribute('Resource', 'RoleDefinitionId', ROLE)} AND ${attribute('Resource', 'PrincipalId', PRINCIPAL)} ) )`,
    );
  });

  it('leaves no placeholder once rendered, and names each value once per action', () => {
    const role = '2f1a8c3e-5b7d-4e9f-a1c3-6d8e0f2b4a97';
    const principal = '9c4e7a1b-3d5f-4a8c-b2e6-1f7d9a3c5e80';
    const rendered = render(role, principal);
    expect(rendered).not.toMatch(/<[A-Za-z]+>/);
    expect(rendered.split(`{${role}}`).length - 1).toBe(2);
    expect(rendered.split(`{${principal}}`).length - 1).toBe(2);
  });

  it('is loaded by the infrastructure from the template file and nowhere written out again', () => {
    const delegation = fileNamed(files, 'infra/access/private-link-delegation.bicep');
    const loads = files.flatMap((file) =>
      callsTo(file.tree.rootNode, 'loadTextContent').map((args) => ({ file, args })),
    );
    expect(loads.map(({ file }) => file.path)).toEqual([delegation.path]);
    const loaded = literalString(loads[0]!.args[0]);
    const loadedPath = join(dirname(join(REPO_ROOT, delegation.path)), loaded ?? '');
    expect(loadedPath).toBe(join(REPO_ROOT, TEMPLATE_PATH));
    expect(existsSync(loadedPath)).toBe(true);

    const condition = declaration(delegation, 'variable_declaration', 'condition');
    const replaced = callsTo(condition, 'replace').map((args) => literalString(args[1]));
    expect(replaced.sort()).toEqual([PRINCIPAL, ROLE].sort());
    const written = files.flatMap((file) =>
      descendants(
        file.tree.rootNode,
        (node) => node.type === 'string_content' && node.text.includes('ActionMatches'),
      ),
    );
    expect(written).toEqual([]);
  });

  it('fills the placeholders with the private-link role and the app identity', () => {
    const delegation = fileNamed(files, 'infra/access/private-link-delegation.bicep');
    const condition = declaration(delegation, 'variable_declaration', 'condition');
    const pairs = callsTo(condition, 'replace').map((args) => [literalString(args[1]), args[2]?.text]);
    expect(Object.fromEntries(pairs)).toEqual({ [ROLE]: 'privateLinkRoleGuid', [PRINCIPAL]: 'principalId' });
  });
});
