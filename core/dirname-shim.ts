/**
 * Must be the bundle's first import. ssh2's WASM poly1305 module reads `__dirname`,
 * which an ESM bundle lacks; without this the action crashes after start-up with
 * `ReferenceError: __dirname is not defined`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const scope = globalThis as { __dirname?: string };
scope.__dirname ??= dirname(fileURLToPath(import.meta.url));
