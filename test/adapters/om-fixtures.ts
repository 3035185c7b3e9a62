// OpenMetadata fixtures (test/fixtures/openmetadata-*), read the way OpenMetadata's server reads them.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');
export const fixtureText = (name: string): string => readFileSync(resolve(FIXTURES, name), 'utf8');

type Yaml = Record<string, unknown>;

/** A JSON fixture without its `_about` note (OpenMetadata's replies carry none). */
export function jsonFixture<T = Yaml>(name: string): T {
  const { _about: _note, ...reply } = JSON.parse(fixtureText(name)) as Yaml;
  return reply as T;
}

/** A yaml scalar as a YAML 1.2 parser reads it: quoted strings, booleans, integers, flow lists `[a, b]`. */
function scalar(s: string): unknown {
  if (/^".*"$/.test(s)) return s.slice(1, -1);
  if (s === 'true' || s === 'false') return s === 'true';
  if (/^-?\d+$/.test(s)) return Number(s);
  if (/^\[.*\]$/.test(s)) return s.slice(1, -1).split(',').map((i) => i.trim()).filter(Boolean).map(scalar);
  return s;
}

/** Just enough yaml for the fixtures: nested maps by indentation, `- item` lists, comments. */
export function yamlFixture(name: string): Yaml {
  const root: Yaml = {};
  const stack: Array<{ indent: number; node: Yaml | unknown[] }> = [{ indent: -1, node: root }];
  let lastKey: { parent: Yaml; key: string; indent: number } | null = null;
  for (const raw of fixtureText(name).split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    while (stack.length > 1 && indent <= stack[stack.length - 1]!.indent) stack.pop();
    const top = stack[stack.length - 1]!;
    if (body.startsWith('- ')) {
      if (!Array.isArray(top.node)) {
        const list: unknown[] = [];
        lastKey!.parent[lastKey!.key] = list;
        stack.push({ indent: lastKey!.indent, node: list });
      }
      (stack[stack.length - 1]!.node as unknown[]).push(scalar(body.slice(2).trim()));
      continue;
    }
    const [, key = '', value = ''] = /^([^:]+):\s*(.*)$/.exec(body) ?? [];
    const parent = top.node as Yaml;
    if (value === '') {
      parent[key] = {};
      lastKey = { parent, key, indent };
      stack.push({ indent, node: parent[key] as Yaml });
    } else {
      parent[key] = scalar(value);
    }
  }
  return root;
}
