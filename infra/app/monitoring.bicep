// What operators watch (docs/telemetry.md): four log alert rules on the app's telemetry in the Log
// Analytics workspace (a heal escalated, a replica stuck past N hours, sweeps failing, an audit chain
// that fails verification) and a workbook of fleet health, heals, time to heal and ARM throttling. The
// names in the queries are the ones src/domain/telemetry.ts emits; test/infra/monitoring.test.ts checks.
@description('Resource id of the Log Analytics workspace behind Application Insights.')
param workspaceId string

param location string = resourceGroup().location

param tags object = {}

@description('Seeds the resource names.')
param resourceToken string

@minValue(1)
@description('Hours a replica may stay in provisioning before the stuck-replica alert fires.')
param stuckReplicaHours int = 6

@minValue(15)
@description('Minutes in which a sweep must complete, without a failed start or scan, before the sweeps alert fires.')
param sweepWindowMinutes int = 60

@description('Who is told when an alert fires (an e-mail address); empty means the alerts only show in the portal.')
param alertEmail string = ''

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-replica-guard-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'replicagrd'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var alertActions = empty(alertEmail) ? {} : { actionGroups: [actionGroup.id] }

// ---- the alerts' queries (Log Analytics tables AppTraces and AppMetrics) ----

var healEscalatedQuery = '''
AppTraces
| where tostring(Properties.event) == "ReplicaGuard.AuditStep"
| where tostring(Properties.operation) == "heal" and tostring(Properties.step) == "escalated"
| project TimeGenerated, operationId = tostring(Properties.operationId), replicaId = tostring(Properties.replicaId), Message
'''

// A replica is stuck when the last diagnosis of its heals saw it in its state longer than the threshold,
// and no heal has ended with it healed since.
var replicaStuckQuery = '''
AppTraces
| where tostring(Properties.event) == "ReplicaGuard.AuditStep" and tostring(Properties.operation) == "heal"
| where tostring(Properties.step) in ("diagnosed", "healed")
| extend replicaId = tostring(Properties.replicaId), step = tostring(Properties.step), minutesInState = todouble(Properties.minutesInState)
| summarize arg_max(TimeGenerated, step, minutesInState, provisioningState = tostring(Properties.provisioningState), operationId = tostring(Properties.operationId)) by replicaId
| where step == "diagnosed" and minutesInState >= {thresholdMinutes}
'''

// No sweep completed in the window, or a sweep could not start, or a registry's scan failed.
var sweepsFailingQuery = '''
let sweeps = AppTraces
| where tostring(Properties.event) == "ReplicaGuard.AuditStep" and tostring(Properties.operation) == "sweep";
sweeps
| summarize completed = countif(tostring(Properties.step) == "sweep-completed"),
    failedStarts = countif(tostring(Properties.step) == "requested" and tostring(Properties.outcome) == "failed"),
    failedScans = countif(tostring(Properties.step) == "scan-failed")
| where completed == 0 or failedStarts > 0 or failedScans > 0
'''

var auditChainBrokenQuery = '''
AppTraces
| where tostring(Properties.event) == "ReplicaGuard.AuditVerified" and tostring(Properties.intact) =~ "false"
| project TimeGenerated, registry = tostring(Properties.registry), breakKind = tostring(Properties.breakKind), sequence = toint(Properties.sequence), Message
'''

// ---- the workbook's queries ----

var replicasByStateQuery = '''
AppMetrics
| where Name == "replicaguard.replicas"
| extend registry = tostring(Properties.registry), state = tostring(Properties.state)
| join kind=inner (
    AppMetrics
    | where Name == "replicaguard.replicas"
    | summarize lastScan = max(TimeGenerated) by registry = tostring(Properties.registry)
  ) on registry
| where TimeGenerated == lastScan
| summarize replicas = sum(Sum) by state
'''

var healsByOutcomeQuery = '''
AppMetrics
| where Name == "replicaguard.heals"
| summarize heals = sum(Sum) by healOutcome = tostring(Properties.healOutcome), bin(TimeGenerated, 1h)
'''

var timeToHealQuery = '''
AppTraces
| where tostring(Properties.event) == "ReplicaGuard.AuditStep" and tostring(Properties.healOutcome) == "healed"
| summarize heals = count(), percentiles(todouble(Properties.durationSeconds), 50, 90, 99) by bin(TimeGenerated, 1d)
'''

var throttlingQuery = '''
AppMetrics
| where Name in ("replicaguard.arm.throttled", "replicaguard.arm.retries")
| summarize total = sum(Sum) by Name, subscriptionId = tostring(Properties.subscriptionId), requestKind = tostring(Properties.requestKind)
| order by total desc
'''

var sweepsQuery = '''
AppMetrics
| where Name in ("replicaguard.sweep.duration", "replicaguard.sweep.suspects")
| summarize average = sum(Sum) / sum(ItemCount), largest = max(Max) by Name, bin(TimeGenerated, 1h)
'''

// ---- alert rules ----

resource healEscalated 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-heal-escalated-${resourceToken}'
  location: location
  tags: tags
  properties: {
    displayName: 'Replica guard: a heal escalated'
    description: 'A heal gave up after its attempts: the replica needs a person (docs/telemetry.md).'
    severity: 1
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: healEscalatedQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: false
    actions: alertActions
  }
}

resource replicaStuck 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-replica-stuck-${resourceToken}'
  location: location
  tags: tags
  properties: {
    displayName: 'Replica guard: a replica stuck for more than ${stuckReplicaHours} hours'
    description: 'A replica has stayed in provisioning past the threshold and no heal has healed it.'
    severity: 2
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT30M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: replace(replicaStuckQuery, '{thresholdMinutes}', string(stuckReplicaHours * 60))
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: alertActions
  }
}

resource sweepsFailing 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-sweeps-failing-${resourceToken}'
  location: location
  tags: tags
  properties: {
    displayName: 'Replica guard: sweeps failing'
    description: 'No sweep completed in the window, or a sweep could not start, or a registry could not be scanned.'
    severity: 2
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT${sweepWindowMinutes}M'
    criteria: {
      allOf: [
        {
          query: sweepsFailingQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: alertActions
  }
}

resource auditChainBroken 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-audit-chain-broken-${resourceToken}'
  location: location
  tags: tags
  properties: {
    displayName: 'Replica guard: an audit chain failed verification'
    description: 'A verification found an audit chain changed, cut short, reordered or unanchored: look at who wrote the table.'
    severity: 0
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: auditChainBrokenQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: false
    actions: alertActions
  }
}

// ---- workbook ----

func queryTile(title string, query string, visualization string) object => {
  type: 3
  content: {
    version: 'KqlItem/1.0'
    title: title
    query: query
    size: 0
    queryType: 0
    resourceType: 'microsoft.operationalinsights/workspaces'
    visualization: visualization
  }
}

var workbookContent = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      content: {
        json: '## Replica guard\nFleet health, heals, time to heal and ARM throttling, from the app\'s telemetry (docs/telemetry.md).'
      }
    }
    queryTile('Replicas by state (last scan of each registry)', replicasByStateQuery, 'piechart')
    queryTile('Heals by outcome', healsByOutcomeQuery, 'barchart')
    queryTile('Time to heal (seconds): median, 90th and 99th percentile', timeToHealQuery, 'table')
    queryTile('ARM 429s and retries by subscription', throttlingQuery, 'table')
    queryTile('Sweeps: duration (seconds) and suspects', sweepsQuery, 'linechart')
  ]
  fallbackResourceIds: [workspaceId]
  '$schema': 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json'
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, resourceToken, 'replica-guard-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Replica guard: fleet health'
    category: 'workbook'
    sourceId: workspaceId
    serializedData: string(workbookContent)
    version: '1.0'
  }
}

output workbookId string = workbook.id
