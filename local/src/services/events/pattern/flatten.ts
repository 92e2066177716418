import { isJsonObject, JsonValue, LeafValue } from './json';

/**
 * A leaf of the event with the array elements it sits in: `membership` maps each enclosing array
 * (numbered in document order) to the index of the element holding this leaf.
 */
export interface FlatValue {
  readonly value: LeafValue;
  readonly membership: ReadonlyMap<number, number>;
}

/** The event as AWS sees it: leaf values by dotted path. Arrays are transparent; objects and arrays are not leaves. */
export type FlatEvent = ReadonlyMap<string, readonly FlatValue[]>;

export function flattenEvent(event: unknown): FlatEvent {
  const result = new Map<string, FlatValue[]>();
  let arrays = 0;
  const walk = (node: JsonValue, path: string, membership: ReadonlyMap<number, number>): void => {
    if (Array.isArray(node)) {
      const id = arrays++;
      node.forEach((element, index) => walk(element, path, new Map(membership).set(id, index)));
    } else if (isJsonObject(node)) {
      for (const [key, child] of Object.entries(node)) {
        if (child !== undefined) walk(child, path === '' ? key : `${path}.${key}`, membership);
      }
    } else if (path !== '' && isLeaf(node)) {
      const values = result.get(path);
      if (values) values.push({ value: node, membership });
      else result.set(path, [{ value: node, membership }]);
    }
  };
  if (isJsonObject(event)) walk(event, '', new Map());
  return result;
}

function isLeaf(value: unknown): value is LeafValue {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
