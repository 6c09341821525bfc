/** `npm run schema`: writes schema/berth.schema.json from the zod definitions in server/config/schema/. */
import { writeFileSync } from 'node:fs';
import { berthJsonSchemaText } from '../server/config/json-schema.js';

const file = new URL('../../schema/berth.schema.json', import.meta.url);
writeFileSync(file, berthJsonSchemaText());
console.error(`wrote ${file.pathname}`);
