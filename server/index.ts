/** The companion server's entry: `node dist/server/index.js [--config berth.yml]`. */
import { serverMain } from './main.js';

await serverMain(process.argv.slice(2), process.env);
