// Starts Swagger UI (served by the app from its own copy of swagger-ui-dist) on this app's OpenAPI
// document. A file of its own because the page allows no inline script.
declare const SwaggerUIBundle: (options: Record<string, unknown>) => unknown;

SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: false });
