// App Service resolves `@Microsoft.KeyVault(...)` app settings before the app starts; one it could not
// resolve (no access, no such secret) reaches the app as that literal text. Used as a secret it would be a
// value anyone can read in the template, so the app treats it as not set.

/** Whether a setting's value is a Key Vault reference the platform left unresolved. */
export function isUnresolvedKeyVaultReference(value: string | undefined): boolean {
  return /^@Microsoft\.KeyVault\(/i.test(value?.trim() ?? '');
}

/** The trimmed value; undefined when blank or an unresolved Key Vault reference. */
export function resolvedSetting(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text === undefined || text === '' || isUnresolvedKeyVaultReference(text) ? undefined : text;
}

/** Says why a required setting has no usable value, naming it. */
export function missingSettingReason(name: string, value: string | undefined): string {
  return isUnresolvedKeyVaultReference(value)
    ? `${name} is a Key Vault reference that did not resolve (check the app identity's access to the ` +
        "secret and the reference's vault and secret names)"
    : `${name} is not set`;
}
