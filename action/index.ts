/** The GitHub Action's entry: `runs.main` in action.yml points at the bundle of this file. */
import '../core/dirname-shim.js';
import { run } from './main.js';

await run();
