/** A path template (`/api/homes/{homeId}`) compiled: a pattern for the whole path (a trailing slash allowed), and its parameters' names in order. */
export interface PathTemplate {
  pattern: RegExp;
  names: string[];
}

export function pathTemplate(path: string): PathTemplate {
  const names: string[] = [];
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}/?$`), names };
}
