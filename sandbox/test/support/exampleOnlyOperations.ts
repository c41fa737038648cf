// Operations the sandbox serves whose OpenAPI definition is not among the fixtures: only an official
// example describes them, so responses are compared with the example's shape (see compareWithExampleShape).
import type { SpecOperation } from './armSpecOperations';

export const GET_LOCATIONS_EXAMPLE =
  'specification/resources/resource-manager/Microsoft.Resources/subscriptions/stable/2022-12-01/examples/GetLocations.json';

export const EXAMPLE_ONLY_OPERATIONS: Record<string, SpecOperation> = {
  Subscriptions_ListLocations: {
    operationId: 'Subscriptions_ListLocations',
    file: GET_LOCATIONS_EXAMPLE,
    apiVersion: '2022-12-01',
    method: 'GET',
    pathTemplate: '/subscriptions/{subscriptionId}/locations',
    parameters: [
      { name: 'subscriptionId', in: 'path', required: true, type: 'string' },
      { name: 'api-version', in: 'query', required: true, type: 'string' },
      { name: 'includeExtendedLocations', in: 'query', required: false, type: 'boolean' },
    ],
    responses: { '200': { description: 'Shape of the official example GetLocations.json' } },
    longRunning: false,
    examples: { GetLocations: GET_LOCATIONS_EXAMPLE },
    exampleOnly: true,
  },
};
