/**
 * What GitHub's runner makes of an action's output: workflow commands (`::error …::`, groups, masks),
 * the log as the job page shows it, the GITHUB_OUTPUT file and the job summary's tables.
 */

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly message: string;
  /** title, file, line, col, endLine, endColumn, as given. */
  readonly properties: Readonly<Record<string, string>>;
}

export interface LogGroup {
  readonly title: string;
  readonly lines: readonly string[];
}

export interface RunnerLog {
  /** Every line as the job page shows it: commands consumed, masked values as `***`. */
  readonly lines: readonly string[];
  readonly annotations: readonly Annotation[];
  readonly groups: readonly LogGroup[];
  /** `::debug::` messages (shown only with step debug logging on). */
  readonly debug: readonly string[];
  /** Values registered with `::add-mask::`. */
  readonly masks: readonly string[];
}

const unescapeData = (text: string): string => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (text: string): string => unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));

function parseProperties(text: string | undefined): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) properties[pair.slice(0, at).trim()] = unescapeProperty(pair.slice(at + 1));
  }
  return properties;
}

const COMMAND = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/;

/** Replays the output line by line the way the runner does; masks apply from the line after `add-mask`. */
export function parseRunnerLog(output: string, initialMasks: readonly string[] = []): RunnerLog {
  const masks = initialMasks.filter((value) => value.trim() !== '');
  const mask = (line: string): string =>
    [...masks].sort((a, b) => b.length - a.length).reduce((text, secret) => text.split(secret).join('***'), line);
  const lines: string[] = [];
  const annotations: Annotation[] = [];
  const groups: { title: string; lines: string[] }[] = [];
  const debug: string[] = [];
  let group: { title: string; lines: string[] } | undefined;
  let stopToken: string | undefined;
  const show = (line: string): void => {
    lines.push(line);
    group?.lines.push(line);
  };

  for (const raw of output.replace(/\r?\n$/, '').split(/\r?\n/)) {
    const match = COMMAND.exec(raw.trimStart());
    if (!match) {
      show(mask(raw));
      continue;
    }
    const [, name = '', propertyText, data = ''] = match;
    if (stopToken !== undefined) {
      if (name === stopToken) stopToken = undefined;
      else show(mask(raw));
      continue;
    }
    const message = mask(unescapeData(data));
    switch (name) {
      case 'add-mask':
        masks.push(unescapeData(data));
        break;
      case 'group':
        group = { title: message, lines: [] };
        groups.push(group);
        show(`▸ ${message}`);
        break;
      case 'endgroup':
        group = undefined;
        break;
      case 'error':
      case 'warning':
      case 'notice':
        annotations.push({ level: name, message, properties: parseProperties(propertyText && mask(propertyText)) });
        show(`${name[0]?.toUpperCase()}${name.slice(1)}: ${message}`);
        break;
      case 'debug':
        debug.push(message);
        break;
      case 'stop-commands':
        stopToken = unescapeData(data);
        break;
      default:
        show(mask(raw));
    }
  }
  return { lines, annotations, groups, debug, masks };
}

/** The GITHUB_OUTPUT file: `name<<DELIMITER` heredocs and `name=value` lines; the last value of a name wins. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const end = lines.indexOf(delimiter ?? '', i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: the value of '${name}' is not closed by ${delimiter}`);
      outputs[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    } else if (line.trim() !== '') {
      throw new Error(`GITHUB_OUTPUT: cannot read the line ${JSON.stringify(line)}`);
    }
  }
  return outputs;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The text of an HTML fragment: tags removed, entities decoded, whitespace collapsed. */
export function htmlText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<\/?(code|b|i|em|strong|a|span)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/** Each `<table>` of a job summary as rows of cell texts (header row first). */
export function summaryTables(summary: string): string[][][] {
  return [...summary.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, table = '']) =>
    [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row = '']) =>
      [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell = '']) => htmlText(cell)),
    ),
  );
}
