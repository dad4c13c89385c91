/**
 * Freezes `value` and everything reachable from it (plain objects and arrays; other objects such as class instances
 * are frozen too, but not descended into twice). Returns `value`. Never throws.
 */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  return Object.freeze(value);
}
