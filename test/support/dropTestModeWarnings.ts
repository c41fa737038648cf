// Tests import function modules outside the Functions worker, where @azure/functions runs in "test mode"
// and warns about it, and about every registration it skips, on each import. Those warnings are known
// and expected here; they are dropped so that they do not bury results. Every other warning still shows.
const TEST_MODE_WARNINGS = [
  /^WARNING: Failed to detect the Azure Functions runtime\. Switching "@azure\/functions" package to test mode - not all features are supported\.$/,
  /^WARNING: Skipping call to register (function "[^"]+"|\S+ hook) because the "@azure\/functions" package is in test mode\.$/,
];

const warn = console.warn.bind(console);
console.warn = (...args: unknown[]): void => {
  const [message] = args;
  if (
    args.length === 1 &&
    typeof message === 'string' &&
    TEST_MODE_WARNINGS.some((known) => known.test(message))
  )
    return;
  warn(...args);
};
