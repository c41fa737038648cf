import { health } from '../../src/functions/health';

test('health answers 200', () => {
  expect(health({} as never, {} as never).status).toBe(200);
});
