/** The companion server's entry: `node dist/server/index.js [--config berth.yml]`. */
import '../core/dirname-shim.js';
import { serverMain } from './main.js';

await serverMain(process.argv.slice(2), process.env);
