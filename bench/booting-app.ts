/** The example app's Compose file for benchmarks where the app boots before it serves, as real apps do. */

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
