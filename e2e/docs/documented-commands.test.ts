/**
 * Every command the user documentation gives is run by a test exactly as written, or listed with the reason it is
 * not (command-registry.ts). This test fails for a documented command missing from the registry, a registry entry
 * no document gives any more, and a test file that does not hold the command's text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_REGISTRY } from './command-registry.ts';
import { documentedCommands, extractCommands, stripComment } from './doc-commands.ts';
import { fillPlaceholders } from './run-documented.ts';

describe('commands in the documentation', () => {
  const documented = documentedCommands();

  it('finds the commands of README.md and docs/', () => {
    const commands = new Set(documented.map((c) => c.command));
    for (const expected of ['npm ci && npm start', 'npm start -- --demo', 'npx deno task start', 'npx wrangler dev']) expect(commands).toContain(expected);
  });

  it('are each in the registry, with where they are written when they are not', () => {
    const missing = documented.filter((c) => !(c.command in COMMAND_REGISTRY)).map((c) => `${c.where}: ${c.command}`);
    expect(missing, 'add each to e2e/docs/command-registry.ts with the test that runs it exactly as written').toEqual([]);
  });

  it('leave no registry entry that no document gives any more', () => {
    const commands = new Set(documented.map((c) => c.command));
    expect(Object.keys(COMMAND_REGISTRY).filter((command) => !commands.has(command))).toEqual([]);
  });

  it('are run by a test file that holds their exact text', () => {
    const wrong = Object.entries(COMMAND_REGISTRY).flatMap(([command, coverage]) => {
      if ('notRun' in coverage) return coverage.notRun.trim().length > 20 ? [] : [`${command}: say why it is not run`];
      if (!existsSync(coverage.test)) return [`${command}: ${coverage.test} does not exist`];
      // As a whole template literal, so a longer command that merely contains this one does not count.
      return readFileSync(coverage.test, 'utf8').includes(`\`${command}\``) ? [] : [`${command}: no \`…\` literal with it in ${coverage.test}`];
    });
    expect(wrong).toEqual([]);
  });
});

describe('extracting commands from Markdown', () => {
  it('reads shell code blocks line by line, joining continuations and dropping comments and answers', () => {
    const markdown = [
      'Intro with `npm run build:web` inline, and `node:http` (not a command).',
      '```bash',
      '# a comment line',
      'npm start     # start it',
      "curl -s localhost:3000/x -H 'a: #not-a-comment' \\",
      '  -d \'{"k":1}\'',
      '# → { "answer" }',
      '```',
      '```json',
      '{ "npm": "not a command" }',
      '```',
    ].join('\n');
    expect(extractCommands(markdown, 'doc.md')).toEqual([
      { command: 'npm run build:web', where: 'doc.md:1' },
      { command: 'npm start', where: 'doc.md:4' },
      { command: "curl -s localhost:3000/x -H 'a: #not-a-comment' -d '{\"k\":1}'", where: 'doc.md:5' },
    ]);
  });

  it('keeps a # inside quotes or words', () => {
    expect(stripComment('echo "a # b" c#d # gone')).toBe('echo "a # b" c#d ');
  });

  it('fills only what the text marks as a placeholder', () => {
    expect(fillPlaceholders('npm run admin -- create-vehicle --fleet FLEET_ID --plate X', { FLEET_ID: 'f1' })).toBe('npm run admin -- create-vehicle --fleet f1 --plate X');
    expect(fillPlaceholders('curl -X PUT … -d x …/a/<vehicle id>', { '…': ['-H h', 'http://h'], '<vehicle id>': 'v1' })).toBe('curl -X PUT -H h -d x http://h/a/v1');
    expect(fillPlaceholders('tool [--loads 15]', { '[--loads 15]': '--loads 15' })).toBe('tool --loads 15');
    expect(() => fillPlaceholders('npm start', { start: 'stop' })).toThrow('not a placeholder');
    expect(() => fillPlaceholders('npm start', { FLEET_ID: 'x' })).toThrow('does not occur');
  });
});
