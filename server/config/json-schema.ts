/**
 * The JSON Schema of berth.yml, generated from the zod schema that validates it. Numbers and
 * booleans also accept a `${VAR}` string, as the server does, so editors do not flag interpolation.
 */
import { z } from 'zod';
import { berthSchema } from './schema/berth-schema.js';

const INTERPOLATED = { type: 'string', pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$' } as const;
const WIDENED = new Set(['integer', 'number', 'boolean']);

export function berthJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(berthSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      const node = jsonSchema as Record<string, unknown>;
      if (typeof node.type !== 'string' || !WIDENED.has(node.type)) return;
      const { description, default: fallback, ...value } = node;
      for (const key of Object.keys(node)) delete node[key];
      Object.assign(node, description === undefined ? {} : { description }, fallback === undefined ? {} : { default: fallback }, {
        anyOf: [value, INTERPOLATED],
      });
    },
  });
  return { ...schema, title: 'berth.yml', description: 'Configuration of the berth companion server (berth server --config berth.yml).' };
}

/** The committed file's text: stable key order, two-space indent, trailing newline. */
export function berthJsonSchemaText(): string {
  return `${JSON.stringify(berthJsonSchema(), null, 2)}\n`;
}
