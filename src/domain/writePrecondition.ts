// Optimistic concurrency for declarations: every version has an entity tag, and a write names the
// version it replaces (If-Match), or that there must be none yet (If-None-Match: *), so two editors never
// overwrite each other without knowing.

export type WritePrecondition =
  /** Only when nothing exists yet (`If-None-Match: *`, and a PUT without conditions). */
  | { kind: 'none-exists' }
  /** Only when something exists, whatever its version (`If-Match: *`). */
  | { kind: 'exists' }
  /** Only when the current version has one of these entity tags (`If-Match: "v3"`). */
  | { kind: 'matches'; etags: string[] };

/** The entity tag of a declaration version: strong, and never reused, since versions only grow. */
export function declarationEtag(version: number): string {
  return `"v${version}"`;
}

/** Whether a write under `precondition` may replace `current` (undefined: there is none). */
export function preconditionHolds(
  precondition: WritePrecondition,
  current: { version: number } | undefined,
): boolean {
  switch (precondition.kind) {
    case 'none-exists':
      return current === undefined;
    case 'exists':
      return current !== undefined;
    case 'matches':
      return current !== undefined && precondition.etags.includes(declarationEtag(current.version));
  }
}
