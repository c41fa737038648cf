// Entry file loaded by the Functions worker (package.json `main`), and the one place that wires the app
// together: importing a module registers its triggers, orchestrations or activities under the names in
// its feature's contract. Settings the host would refuse stop the app here, naming the setting: the
// required settings first (no usable storage connection), then the timer (a malformed HEAL_SCHEDULE);
// the task hub name is checked at the end.
import { taskHubName } from './config/settings';
import './config/requiredSettings';
import './functions/healSchedule';

// Triggers: HTTP (REST and chat).
import './functions/health';
import './functions/openapi';
import './functions/registries';
import './functions/replicaOperations';
import './functions/operationList';
import './functions/audit';
import './functions/approvals';
import './functions/healNow';
import './functions/healRegistry';
import './functions/desiredReplicas';
import './functions/chatSlack';
import './functions/chatSlackActions';
import './functions/chatTeams';

// Triggers: HTTP (pages for people).
import './functions/dashboard';
import './functions/apiExplorer';

// Orchestrations.
import './app/replicaOperation/replicaOperation.orchestration';
import './app/healing/healReplica.orchestration';
import './app/healing/healSweep.orchestration';
import './app/desiredReplicas/desiredReplicasApply.orchestration';

// Activities.
import './app/audit/audit.activities';
import './app/replicaOperation/replicaOperation.activities';
import './app/privateLink/privateLink.activities';
import './app/healing/healReplica.activities';
import './app/healing/healSweep.activities';
import './app/healing/healLaunch.activities';
import './app/chatFollowUp/chatFollowUp.activities';
import './app/scope/scope.activities';
import './app/desiredReplicas/desiredReplicas.activities';

taskHubName();
