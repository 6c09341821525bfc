#!/usr/bin/env node
/** The `berth` command's entry. */
import '../core/dirname-shim.js';
import { main } from './main.js';

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
