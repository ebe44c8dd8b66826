/**
 * package.json's `engines.node` is true: every package the lock file installs accepts the oldest Node the project
 * declares, and the Node running the tests (npm ci warns EBADENGINE otherwise).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { satisfiesNodeRange } from './node-range.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

describe('the Node versions the project declares', () => {
  it('reads ranges the way npm does', () => {
    expect(satisfiesNodeRange('20.19.0', '>=20.19')).toBe(true);
    expect(satisfiesNodeRange('20.18.3', '>= 20.19.0')).toBe(false);
    expect(satisfiesNodeRange('20.19.0', '>=22.0.0')).toBe(false);
    expect(satisfiesNodeRange('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfiesNodeRange('21.0.0', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfiesNodeRange('20.19.0', '^18.17.0 || ^20.3.0 || >=21.0.0')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '>=6 <7 || >=8')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '4.x || >=6.0.0')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '^10 || ^12 || >=14')).toBe(true);
    expect(satisfiesNodeRange('13.0.0', '^10 || ^12 || >=14')).toBe(false);
    expect(satisfiesNodeRange('20.19.0', '*')).toBe(true);
    expect(satisfiesNodeRange('20.19.0', '~20.18.0')).toBe(false);
  });

  it('declares a lower bound, and the Node running the tests meets it', () => {
    const floor = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines.node)?.[1];
    expect(floor, 'engines.node is a plain ">=" lower bound').toBeTruthy();
    expect(satisfiesNodeRange(process.versions.node, pkg.engines.node)).toBe(true);
  });

  it('installs no package that refuses that lower bound or this Node', () => {
    const floor = /(\d+(?:\.\d+){0,2})/.exec(pkg.engines.node)![1];
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = !entry.engines || Array.isArray(entry.engines) ? undefined : entry.engines.node;
        if (!range) return [];
        const bad = [floor, process.versions.node].filter((v) => !satisfiesNodeRange(v, range));
        return bad.length ? [`${path.replace(/^.*node_modules\//, '')} wants node ${range} (not ${bad.join(', ')})`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
