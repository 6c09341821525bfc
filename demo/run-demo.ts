/**
 * `npm run demo`: a throwaway local "VPS" (sshd and Docker on 127.0.0.1), the example app,
 * and the berth CLI shipping it: lint → deploy → health-check, then a broken commit that is
 * rejected and rolled back. Everything it starts is stopped at the end.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { connectSsh } from '../core/ssh/ssh-connection.js';
import { startTestbed } from '../test/bed/start-testbed.js';
import { freePort } from '../test/bed/system.js';
import { createAppRepo } from '../test/helpers/app-repo.js';
import { bedCliFlags } from '../test/helpers/engine.js';
import { bedSettings } from '../test/helpers/ssh.js';

const say = (text: string): void => void process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);

function berth(args: string[]): Promise<number> {
  const cli = join(process.cwd(), 'dist/cli/index.js');
  process.stdout.write(`$ berth ${args.map((a) => (/[\s$]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
  return new Promise((resolve) => spawn(process.execPath, [cli, ...args], { stdio: 'inherit' }).on('close', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  say('Starting a throwaway server: sshd and Docker on 127.0.0.1');
  const testbed = await startTestbed();
  const { bed } = testbed;
  const admin = await connectSsh(bedSettings());
  const project = 'berth-demo';
  try {
    const port = await freePort();
    const app = await createAppRepo(admin, `${bed.home}/berth-demo`, port, { COMPOSE_PROJECT_NAME: project });
    const common = [...bedCliFlags(), '--path', app.path, '--health-url', `http://localhost:${port}/health`, '--health-timeout', '30'];
    process.stdout.write(
      `server: ${bed.user}@127.0.0.1:${bed.sshd.port} (host key pinned: ${bed.sshd.fingerprint})\napp: ${app.path}, served on http://127.0.0.1:${port}/\n`,
    );

    const v1 = await app.commit({ 'www/index.html': '<h1>version 1</h1>\n' }, 'version 1');
    say('1. Deploy version 1: lint on this machine, then deploy and health-check on the server');
    const first = await berth(['deploy', ...common, '--ref', v1, '--lint-command', 'echo "lint: no problems"']);
    process.stdout.write(`→ the site says: ${(await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim()}\n`);

    const broken = await app.commit(
      { 'www/index.html': '<h1>version 2 (broken)</h1>\n', 'www/health': null },
      'version 2 forgets its health page',
    );
    say('2. Deploy a broken commit: its health check fails, berth shows the logs and rolls back');
    const second = await berth(['deploy', ...common, '--ref', broken]);
    process.stdout.write(
      `→ berth exited ${second}; the site still says: ${(await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim()}\n`,
    );

    say('3. Status: what runs, and the release history');
    await berth(['status', ...common]);
    return first === 0 && second === 1 ? 0 : 1;
  } finally {
    await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local'], { cwd: `${bed.home}/berth-demo/app` });
    await admin.close();
    testbed.stop();
    say('Stopped the throwaway server');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
