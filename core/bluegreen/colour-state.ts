/** The colour state file (`blue-green.json` in berth's state directory on the server). */
import { fileCommands } from '../commands/files.js';
import { BerthError } from '../errors.js';
import { type Executor, runChecked } from '../exec/executor.js';
import { COLOURS, type ColourState, type RecordedWeb } from './colours.js';

export class ColourStateFile {
  constructor(
    private readonly executor: Executor,
    private readonly file: string,
    private readonly signal?: AbortSignal,
  ) {}

  /** The state, or undefined when there is none yet (or it is not one: berth then treats every web container as old). */
  async read(): Promise<ColourState | undefined> {
    const { stdout } = await runChecked(this.executor, fileCommands.read(this.file), this.options());
    if (!stdout.trim()) return undefined;
    try {
      const state = JSON.parse(stdout) as ColourState;
      const live = state.live;
      if (typeof state.service !== 'string') return undefined;
      if (state.web !== undefined && !isRecordedWeb(state.web)) return { service: state.service, live };
      if (live && (!COLOURS.includes(live.colour) || typeof live.container !== 'string' || typeof live.upstream !== 'string'))
        return undefined;
      return state;
    } catch {
      return undefined;
    }
  }

  async write(state: ColourState): Promise<void> {
    const result = await this.executor.run(fileCommands.writeAtomic(this.file), {
      ...this.options(),
      stdin: `${JSON.stringify(state, null, 2)}\n`,
    });
    if (result.code !== 0) throw new BerthError(`Could not write ${this.file} on ${this.executor.where}: ${result.stderr.trim()}`);
  }

  private options() {
    return this.signal ? { signal: this.signal } : {};
  }
}

/** A Compose service name (never an option: the names go on Compose's command line). */
const serviceName = (name: unknown): boolean => typeof name === 'string' && /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(name);

function isRecordedWeb(value: unknown): value is RecordedWeb {
  const web = value as Partial<RecordedWeb> | null;
  const numbers = (list: unknown) => Array.isArray(list) && list.every((n) => Number.isInteger(n));
  const strings = (list: unknown) => Array.isArray(list) && list.every(serviceName);
  return (
    typeof web === 'object' &&
    web !== null &&
    serviceName(web.name) &&
    typeof web.hostNetwork === 'boolean' &&
    numbers(web.containerPorts) &&
    strings(web.projectServices)
  );
}
