// The alert rules and the workbook in infra/, read from the Bicep syntax tree: the four alerts operators
// asked for and a workbook exist, are wired into the deployment, and query the very event, dimension and
// metric names the app emits (imported from the telemetry port, so a rename breaks this test).
import type { Node } from 'web-tree-sitter';

import { DIMENSIONS, METRICS, TELEMETRY_EVENTS } from '../../src/domain/telemetry';
import type { BicepFile } from './bicep';
import {
  bodyOf,
  declaration,
  declarations,
  declaredName,
  declaredType,
  descendants,
  fileNamed,
  loadInfra,
  propertyAt,
} from './bicep';

let monitoring: BicepFile;
let main: BicepFile;

beforeAll(async () => {
  const files = await loadInfra();
  monitoring = fileNamed(files, 'infra/app/monitoring.bicep');
  main = fileNamed(files, 'infra/main.bicep');
});

/** A top-level variable holding a multi-line (''') KQL query, as the query text. */
function query(name: string): string {
  const value = declaration(monitoring, 'variable_declaration', name).namedChildren[1]!.text;
  expect(value.startsWith("'''")).toBe(true);
  return value.slice(3, -3);
}

const resources = (type: string): Node[] =>
  declarations(monitoring, 'resource_declaration').filter((node) =>
    declaredType(node).startsWith(`${type}@`),
  );

/** Names as a query quotes them. */
const quoted = (...names: string[]): string[] => names.map((name) => `"${name}"`);
const property = (name: string): string => `Properties.${name}`;

const ALERTS: Record<string, { query: string; mentions: string[] }> = {
  healEscalated: {
    query: 'healEscalatedQuery',
    mentions: [
      ...quoted(TELEMETRY_EVENTS.auditStep, 'heal', 'escalated'),
      property(DIMENSIONS.event),
      property(DIMENSIONS.operation),
      property(DIMENSIONS.step),
      property(DIMENSIONS.operationId),
      property(DIMENSIONS.replicaId),
    ],
  },
  replicaStuck: {
    query: 'replicaStuckQuery',
    mentions: [
      ...quoted(TELEMETRY_EVENTS.auditStep, 'heal', 'diagnosed', 'healed'),
      property(DIMENSIONS.minutesInState),
      property(DIMENSIONS.replicaId),
      property(DIMENSIONS.provisioningState),
      '{thresholdMinutes}',
    ],
  },
  sweepsFailing: {
    query: 'sweepsFailingQuery',
    mentions: [
      ...quoted(TELEMETRY_EVENTS.auditStep, 'sweep', 'sweep-completed', 'requested', 'failed', 'scan-failed'),
      property(DIMENSIONS.step),
      property(DIMENSIONS.outcome),
    ],
  },
  auditChainBroken: {
    query: 'auditChainBrokenQuery',
    mentions: [
      ...quoted(TELEMETRY_EVENTS.auditVerified, 'false'),
      property(DIMENSIONS.intact),
      property(DIMENSIONS.registry),
      property(DIMENSIONS.breakKind),
    ],
  },
};

describe('alert rules', () => {
  it('are the four operators asked for: a heal escalated, a replica stuck, sweeps failing, a broken audit chain', () => {
    expect(resources('Microsoft.Insights/scheduledQueryRules').map(declaredName).sort()).toEqual(
      Object.keys(ALERTS).sort(),
    );
  });

  it.each(Object.entries(ALERTS))(
    '%s queries the names the app emits',
    (name, { query: variable, mentions }) => {
      const rule = declaration(monitoring, 'resource_declaration', name);
      const criteria = propertyAt(bodyOf(rule), 'properties.criteria');
      expect(criteria?.text).toContain(variable);
      const text = query(variable);
      for (const mention of mentions)
        expect({ name, mention, found: text.includes(mention) }).toEqual({
          name,
          mention,
          found: true,
        });
      expect(propertyAt(bodyOf(rule), 'properties.scopes')?.text).toBe('[workspaceId]');
    },
  );

  it('lets the deployment set the stuck threshold in hours and puts it into the query in minutes', () => {
    const rule = bodyOf(declaration(monitoring, 'resource_declaration', 'replicaStuck'));
    expect(propertyAt(rule, 'properties.criteria')?.text).toContain(
      "replace(replicaStuckQuery, '{thresholdMinutes}', string(stuckReplicaHours * 60))",
    );
    const module = bodyOf(declaration(main, 'module_declaration', 'monitoring'));
    expect(propertyAt(module, 'params.stuckReplicaHours')?.text).toBe('stuckReplicaAlertHours');
    expect(propertyAt(module, 'params.workspaceId')?.text).toBe('logAnalytics.outputs.resourceId');
  });
});

describe('the workbook', () => {
  it('is a shared workbook on the workspace', () => {
    const [workbook] = resources('Microsoft.Insights/workbooks');
    expect(workbook).toBeDefined();
    const body = bodyOf(workbook!);
    expect(propertyAt(body, 'kind')?.text).toBe("'shared'");
    expect(propertyAt(body, 'properties.sourceId')?.text).toBe('workspaceId');
    expect(propertyAt(body, 'properties.serializedData')?.text).toBe('string(workbookContent)');
  });

  it('shows fleet health, heals, time to heal, throttling and sweeps from the metrics and records the app emits', () => {
    const tiles = descendants(
      declaration(monitoring, 'variable_declaration', 'workbookContent'),
      (node) => node.type === 'call_expression' && node.childForFieldName('function')?.text === 'queryTile',
    ).map((call) => call.text);
    expect(tiles.map((tile) => /queryTile\('[^']*', (\w+),/.exec(tile)?.[1])).toEqual([
      'replicasByStateQuery',
      'healsByOutcomeQuery',
      'timeToHealQuery',
      'throttlingQuery',
      'sweepsQuery',
    ]);
    expect(query('replicasByStateQuery')).toContain(quoted(METRICS.replicas.name)[0]);
    expect(query('replicasByStateQuery')).toContain(property(DIMENSIONS.state));
    expect(query('healsByOutcomeQuery')).toContain(quoted(METRICS.heals.name)[0]);
    expect(query('healsByOutcomeQuery')).toContain(property(DIMENSIONS.healOutcome));
    expect(query('timeToHealQuery')).toContain(property(DIMENSIONS.durationSeconds));
    expect(query('timeToHealQuery')).toContain(quoted(TELEMETRY_EVENTS.auditStep)[0]);
    expect(query('throttlingQuery')).toContain(quoted(METRICS.armThrottled.name)[0]);
    expect(query('throttlingQuery')).toContain(quoted(METRICS.armRetries.name)[0]);
    expect(query('throttlingQuery')).toContain(property(DIMENSIONS.subscriptionId));
    expect(query('sweepsQuery')).toContain(quoted(METRICS.sweepDuration.name)[0]);
    expect(query('sweepsQuery')).toContain(quoted(METRICS.sweepSuspects.name)[0]);
  });
});

it('the app identity may publish telemetry to Application Insights (Monitoring Metrics Publisher there)', async () => {
  const files = await loadInfra();
  const access = fileNamed(files, 'infra/app/app-access.bicep');
  const role = bodyOf(declaration(access, 'resource_declaration', 'telemetryRole'));
  expect(propertyAt(role, 'scope')?.text).toBe('applicationInsights');
  expect(declaration(access, 'variable_declaration', 'metricsPublisher').text).toContain(
    '3913510d-42f4-4e42-8a64-420c390055eb',
  );
});
