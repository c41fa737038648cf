// Entry file loaded by the Functions worker (package.json `main`): importing a module registers its
// triggers, orchestrations and activities. A task hub name the host would refuse stops the app here,
// with the setting's name in the message.
import { taskHubName } from './config/settings';
import './functions/health';
import './functions/openapi';
import './functions/registries';
import './functions/replicaOperations';
import './functions/audit';
import './orchestrations/replicaOperation';
import './activities/replicaActivities';
import './activities/accessActivities';
import './functions/approvals';
import './orchestrations/healReplica';
import './activities/healActivities';
import './functions/healSchedule';
import './functions/healNow';
import './orchestrations/healSweep';
import './activities/sweepActivities';
import './activities/healLaunchActivities';
import './functions/healRegistry';
import './functions/chatSlack';
import './functions/chatSlackActions';
import './functions/chatTeams';
import './activities/chatActivities';

taskHubName();
