// Entry file loaded by the Functions worker (package.json `main`): importing a trigger module registers it.
import './functions/health';
import './functions/registries';
import './functions/audit';
import './functions/openapi';
