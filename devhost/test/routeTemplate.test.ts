// Route templates as HTTP triggers declare them.

import { comparePrecedence, compileRoute } from '../http/routeTemplate';

test.each([
  ['products/{category:alpha}/{id:int?}', 'products/Tools/7', { category: 'Tools', id: '7' }],
  ['products/{category:alpha}/{id:int?}', 'PRODUCTS/tools', { category: 'tools' }],
  ['products/{category:alpha}/{id:int?}', 'products/tools/x', undefined],
  ['products/{category:alpha}/{id:int?}', 'products/t00ls', undefined],
  ['users/{id:int:min(1)}', 'users/0', undefined],
  ['users/{id:int:min(1)}', 'users/12', { id: '12' }],
  ['users/{id:int}', 'users/99999999999', undefined],
  ['users/{id:long}', 'users/99999999999', { id: '99999999999' }],
  ['greet/{name=guest}', 'greet', { name: 'guest' }],
  ['greet/{name=guest}', 'greet/ada', { name: 'ada' }],
  [
    'orders/{id:guid}',
    'orders/0f8fad5b-d9cb-469f-a165-70867728950e',
    { id: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  ],
  ['orders/{id:guid}', 'orders/nope', undefined],
  ['codes/{code:regex(^[0-9]+$)}', 'codes/ABC', undefined],
  ['codes/{code:regex(^[0-9]+$)}', 'codes/123', { code: '123' }],
  ['codes/{code:length(3)}', 'codes/ABC', { code: 'ABC' }],
  ['codes/{code:range(10,20)}', 'codes/21', undefined],
  ['flags/{on:bool}', 'flags/True', { on: 'True' }],
  ['files/{*path}', 'files/a/b%20c/d.txt', { path: 'a/b c/d.txt' }],
  ['files/{*path}', 'files', {}],
  ['docs/{name}.{ext}', 'docs/readme.md', { name: 'readme', ext: 'md' }],
  ['', '', {}],
])('%s matches "%s" as %j', (template, path, expected) => {
  expect(compileRoute(template).match(path)).toEqual(expected);
});

test('literal segments outrank constrained parameters, which outrank plain ones and catch-alls', () => {
  const routes = ['items/{*rest}', 'items/{id}', 'items/{id:int}', 'items/special'].map(compileRoute);
  expect(routes.sort(comparePrecedence).map((r) => r.template)).toEqual([
    'items/special',
    'items/{id:int}',
    'items/{id}',
    'items/{*rest}',
  ]);
});
