import { randomUUID } from 'node:crypto';

/** The Azurite connection string the test launcher provides. */
export function storageConnectionString(): string {
  const value = process.env.AzureWebJobsStorage;
  if (value === undefined || value === '') {
    throw new Error('AzureWebJobsStorage is not set: run the tests with `npm test`, which starts Azurite.');
  }
  return value;
}

/** A table name no other test uses (3–63 alphanumerics, starting with a letter). */
export function uniqueTableName(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}
