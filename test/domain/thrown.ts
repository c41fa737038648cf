import { ValidationError, ValidationErrors } from '../../src/domain';

/** The error `action` throws; fails the test when it does not throw. */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but the call returned');
}

export function validationErrorOf(action: () => unknown): ValidationError {
  const error = thrown(action);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

/** The field names a ValidationErrors thrown by `action` reports, in order. */
export function invalidFieldsOf(action: () => unknown): string[] {
  const error = thrown(action);
  expect(error).toBeInstanceOf(ValidationErrors);
  return (error as ValidationErrors).errors.map((e) => e.field);
}

/** The single ValidationError inside a ValidationErrors thrown by `action`. */
export function onlyErrorOf(action: () => unknown): ValidationError {
  const error = thrown(action);
  expect(error).toBeInstanceOf(ValidationErrors);
  const { errors } = error as ValidationErrors;
  expect(errors).toHaveLength(1);
  return errors[0]!;
}
