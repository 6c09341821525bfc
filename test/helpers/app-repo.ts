/**
 * A throwaway copy of examples/hello on the test server: a bare origin, a work clone the
 * test commits to, and the deploy target `path` (a clone of origin), all owned by the test user.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Executor, runChecked } from '../../core/exec/executor.js';

const EXAMPLE = join(process.cwd(), 'examples/hello');
const GIT_ID = ['-c', 'user.name=berth test', '-c', 'user.email=test@berth.invalid'];

function exampleFiles(dir = EXAMPLE): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(files, exampleFiles(full));
    else files[relative(EXAMPLE, full)] = readFileSync(full, 'utf8');
  }
  return files;
}

export interface AppRepo {
  readonly root: string;
  readonly path: string;
  readonly port: number;
  /** Writes files (null deletes), commits and pushes to origin; returns the new commit. */
  commit(files: Record<string, string | null>, message: string): Promise<string>;
}

export async function createAppRepo(executor: Executor, root: string, port: number, env: Record<string, string> = {}): Promise<AppRepo> {
  const work = `${root}/work`;
  const origin = `${root}/origin.git`;
  const path = `${root}/app`;
  await runChecked(executor, ['rm', '-rf', '--', root]);
  await runChecked(executor, ['mkdir', '-p', '--', work]);
  await runChecked(executor, ['git', 'init', '--quiet', '--bare', '--initial-branch=main', origin]);
  await runChecked(executor, ['git', 'init', '--quiet', '--initial-branch=main', work]);
  await runChecked(executor, ['git', '-C', work, 'remote', 'add', 'origin', origin]);
  const commit = async (files: Record<string, string | null>, message: string): Promise<string> => {
    for (const [name, content] of Object.entries(files)) {
      if (content === null) {
        await runChecked(executor, ['git', '-C', work, 'rm', '--quiet', '--', name]);
      } else {
        await runChecked(executor, ['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'write', `${work}/${name}`], {
          stdin: content,
        });
      }
    }
    await runChecked(executor, ['git', '-C', work, 'add', '--all']);
    await runChecked(executor, ['git', ...GIT_ID, '-C', work, 'commit', '--quiet', '--allow-empty', '-m', message]);
    await runChecked(executor, ['git', '-C', work, 'push', '--quiet', 'origin', 'HEAD:main']);
    return (await runChecked(executor, ['git', '-C', work, 'rev-parse', 'HEAD'])).stdout.trim();
  };
  const dotenv = Object.entries({ APP_PORT: String(port), ...env })
    .map(([name, value]) => `${name}=${value}\n`)
    .join('');
  await commit({ ...exampleFiles(), '.env': dotenv }, 'initial');
  await runChecked(executor, ['git', 'clone', '--quiet', origin, path]);
  return { root, path, port, commit };
}

/** Stops a Compose project the tests deployed and removes its images, those berth tagged for it included. */
export async function removeComposeApp(admin: Executor, path: string, project: string): Promise<void> {
  await admin.run(['docker-compose', '--project-name', project, 'down', '--rmi', 'local', '--remove-orphans'], { cwd: path });
  await admin.run([
    'sh',
    '-c',
    'docker image ls --format "{{.Repository}}:{{.Tag}}" | grep -E "^berth-(keep|discard)/$1/" | xargs -r docker image rm',
    'sh',
    project,
  ]);
}
