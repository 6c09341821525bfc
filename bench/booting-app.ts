/** The example app's files for benchmarks where the app boots before it serves, as real apps do. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `web` starts its server after `bootSeconds`; Docker's check is the Dockerfile's, every `interval`,
 * with `startPeriod` (when given) for booting before a failure counts.
 */
export function bootingComposeFile(bootSeconds: number, interval: string, startPeriod?: string): string {
  return [
    "version: '2.4'",
    'services:',
    '  web:',
    '    build: .',
    '    network_mode: host',
    '    init: true',
    '    restart: unless-stopped',
    '    environment:',
    "      PORT: '${APP_PORT:-18080}'",
    `    command: ["sh", "-c", "sleep ${bootSeconds}; exec httpd -f -p 127.0.0.1:$\${PORT} -h /www"]`,
    '    healthcheck:',
    `      interval: ${interval}`,
    ...(startPeriod ? [`      start_period: ${startPeriod}`] : []),
    '',
  ].join('\n');
}

/** The example app's Dockerfile with its "install dependencies" layer taking `seconds` instead of 3. */
export function dependencyLayerDockerfile(seconds: number): string {
  const example = readFileSync(join(process.cwd(), 'examples/hello/Dockerfile'), 'utf8');
  const layer = /^RUN sleep \d+ /m;
  if (!layer.test(example)) throw new Error('examples/hello/Dockerfile has no "RUN sleep N" dependency layer any more');
  return example.replace(layer, `RUN sleep ${seconds} `);
}
