/**
 * The commands the user documentation tells a reader to run: every line of a shell code block (```bash, ```sh,
 * ```shell) and every inline code span that starts with a command (`npm start`), in README.md, docs/ and the
 * folders' READMEs. The registry beside this file says which test runs each one exactly as written.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DocCommand {
  /** The command as a reader would type it: continuation lines joined, a trailing `# comment` removed. */
  command: string;
  /** Where it is written, `path:line`, relative to the repository root. */
  where: string;
}

const SHELL_FENCES = new Set(['bash', 'sh', 'shell', 'console']);
// An inline span is a command when it starts with one of these programs, optionally after VAR=value assignments.
const COMMAND_START = /^(?:[A-Z][A-Z0-9_]*=\S*\s+)*(?:npm|npx|deno|node|curl|wrangler|git|redis-cli|psql|docker|ollama|vllm)\s/;
const BARE_PROGRAMS = new Set(['npm test', 'npm start', 'npm ci']);

export function extractCommands(markdown: string, file: string): DocCommand[] {
  const found: DocCommand[] = [];
  const lines = markdown.split('\n');
  let fence: { shell: boolean; marker: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fenceMatch = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fenceMatch && (!fence || line.trim().startsWith(fence.marker))) {
      fence = fence ? null : { shell: SHELL_FENCES.has(fenceMatch[2].toLowerCase()), marker: fenceMatch[1] };
      continue;
    }
    if (fence) {
      if (!fence.shell) continue;
      const start = i;
      let text = line;
      while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, ' ') + lines[++i].trim();
      const command = stripComment(text.replace(/^\s*\$\s+/, '')).replace(/\s+/g, ' ').trim();
      if (command) found.push({ command, where: `${file}:${start + 1}` });
      continue;
    }
    for (const span of line.matchAll(/(?<!`)`([^`]+)`(?!`)/g)) {
      const text = span[1].trim();
      if (COMMAND_START.test(text) || BARE_PROGRAMS.has(text)) found.push({ command: text, where: `${file}:${i + 1}` });
    }
  }
  return found;
}

/** Drops a `# comment` that starts outside quotes after whitespace (or at the start), as the shell does. */
export function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"') i++;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\') i++;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** README.md, everything under docs/, and the README of each top-level folder. */
export function userDocFiles(root: string): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  for (const name of readdirSync(root).sort()) {
    if (name === 'node_modules' || name === 'docs' || name.startsWith('.')) continue;
    const readme = join(name, 'README.md');
    if (statSync(join(root, name)).isDirectory() && exists(join(root, readme))) files.push(readme);
  }
  return files.map((f) => relative(root, join(root, f)));
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function documentedCommands(root = process.cwd()): DocCommand[] {
  return userDocFiles(root).flatMap((file) => extractCommands(readFileSync(join(root, file), 'utf8'), file));
}
