/** Where in a parsed document a problem is, as a reader writes it. */

/** `['checks', 1, 'url']` → `checks[1].url`. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}
