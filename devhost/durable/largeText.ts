// Table Storage string properties hold at most 64 KiB (32K UTF-16 code units); longer JSON is spread
// over numbered properties `Name`, `Name_1`, `Name_2`, ... of the same entity (1 MiB in total).

const CHUNK = 30_000;
/** Leaves room for the other properties of an entity under the 1 MiB limit. */
export const MAX_TEXT_PER_ENTITY = CHUNK * 15;

export function writeLargeText(entity: Record<string, unknown>, name: string, text: string | null): void {
  // Always written, so that merging the properties of a non-null text clears an earlier null.
  entity[`${name}_null`] = text === null;
  if (text === null) {
    return;
  }
  const parts = Math.max(1, Math.ceil(text.length / CHUNK));
  entity[`${name}_parts`] = parts;
  for (let i = 0; i < parts; i++) {
    entity[i === 0 ? name : `${name}_${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
  }
}

export function readLargeText(entity: Record<string, unknown>, name: string): string | null {
  if (entity[`${name}_null`] === true) {
    return null;
  }
  const parts = typeof entity[`${name}_parts`] === 'number' ? (entity[`${name}_parts`] as number) : 1;
  let text = '';
  for (let i = 0; i < parts; i++) {
    const part = entity[i === 0 ? name : `${name}_${i}`];
    text += typeof part === 'string' ? part : '';
  }
  return text;
}
