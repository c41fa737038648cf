// Every Bicep file under infra/ parses with the tree-sitter Bicep grammar, and the parser does report
// syntax errors: in a broken snippet and in a copy of the real template with one brace removed.
import { filesUnder, INFRA_DIR, loadInfra, parseBicep, syntaxErrors } from './bicep';

describe('Bicep syntax', () => {
  it('finds the infrastructure files', () => {
    expect(filesUnder(INFRA_DIR, '.bicep')).toEqual([
      'infra/access/custom-role.bicep',
      'infra/access/private-link-delegation.bicep',
      'infra/access/registry-role.bicep',
      'infra/access/resource-group-role.bicep',
      'infra/access/subscription-role.bicep',
      'infra/app/app-access.bicep',
      'infra/app/audit-anchors.bicep',
      'infra/app/function-app.bicep',
      'infra/app/secret.bicep',
      'infra/main.bicep',
    ]);
  });

  it('parses every infrastructure file without a syntax error', async () => {
    const files = await loadInfra();
    const errors = Object.fromEntries(files.map((file) => [file.path, syntaxErrors(file.tree)]));
    expect(errors).toEqual(Object.fromEntries(files.map((file) => [file.path, []])));
  });

  it('reports an error node for a broken snippet', async () => {
    const tree = await parseBicep(
      "resource store 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: \n}}\n",
    );
    expect(tree.rootNode.hasError).toBe(true);
    expect(syntaxErrors(tree).length).toBeGreaterThan(0);
  });

  it('reports an error when one closing brace of the real template is removed', async () => {
    const [main] = (await loadInfra()).filter((file) => file.path === 'infra/main.bicep');
    const brace = main!.text.indexOf('\n}\n');
    expect(brace).toBeGreaterThan(0);
    const broken = `${main!.text.slice(0, brace)}\n${main!.text.slice(brace + 3)}`;
    expect(syntaxErrors(await parseBicep(broken)).length).toBeGreaterThan(0);
  });

  it('reports an error for a parameter without a type', async () => {
    expect(syntaxErrors(await parseBicep("param taskHubName = 'ReplicaGuard'\n")).length).toBeGreaterThan(0);
  });
});
