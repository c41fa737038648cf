// How long a test waits for something the code under test is bound to do: many times what it takes on a
// busy machine, so that running out of it means the behaviour broke, not that the machine was slow.
// Jest's own timeout (jest.config.js) is longer still, so a test's own message says what it waited for.
export const PATIENCE_MS = 90_000;
