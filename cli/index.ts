#!/usr/bin/env node
/** The `berth` command's entry. */
import '../core/dirname-shim.js';
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
