import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileWriterThread, type FileJob } from './file-writer-thread.ts';

describe('file writer thread', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taxiwatch-writer-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const job = (name: string, data: Uint8Array | string, sub = 'a/b'): FileJob => ({ dir: join(dir, sub), temp: join(dir, sub, `.tmp-${name}`), path: join(dir, sub, name), data });
  const notCalled = async () => {
    throw new Error('the fallback was used');
  };

  it('creates the folder, writes whole files in the order asked, and leaves no temporary file', async () => {
    const write = createFileWriterThread(notCalled);
    const big = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);
    await Promise.all([write(job('one.jpg', big)), write({ ...job('two.txt', 'second'), dir: null }), write(job('one.jpg', 'replaced'))]);
    expect(await readFile(join(dir, 'a/b/two.txt'), 'utf8')).toBe('second');
    expect(await readFile(join(dir, 'a/b/one.jpg'), 'utf8')).toBe('replaced');
    expect((await readdir(join(dir, 'a/b'))).sort()).toEqual(['one.jpg', 'two.txt']);
    await write(job('three.jpg', big, 'c'));
    expect(new Uint8Array(await readFile(join(dir, 'c/three.jpg')))).toEqual(big);
  });

  it("rejects with the filesystem's error and code, removes its temporary file, and goes on writing", async () => {
    const write = createFileWriterThread(notCalled);
    await write(job('x', 'a file'));
    // A folder where the file should go: the rename fails.
    await write(job('inner', 'y', 'a/b/folder'));
    await expect(write({ ...job('folder', 'z'), dir: null })).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(write({ ...job('x', 'z', 'missing'), dir: null })).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(join(dir, 'a/b'))).sort()).toEqual(['folder', 'x']);
    await write(job('x', 'still working'));
    expect(await readFile(join(dir, 'a/b/x'), 'utf8')).toBe('still working');
  });

  it('removes the file named removeFirst before writing, and minds no missing one', async () => {
    const write = createFileWriterThread(notCalled);
    await write(job('x.jpg.meta', '{"contentType":"image/png"}'));
    await write({ ...job('x.jpg', 'jpeg bytes'), dir: null, removeFirst: join(dir, 'a/b/x.jpg.meta') });
    expect((await readdir(join(dir, 'a/b'))).sort()).toEqual(['x.jpg']);
    await write({ ...job('x.jpg', 'again'), dir: null, removeFirst: join(dir, 'a/b/x.jpg.meta') });
    expect(await readFile(join(dir, 'a/b/x.jpg'), 'utf8')).toBe('again');
  });

  it('hands the writes it did not answer, and every later one, to the fallback when the thread dies', async () => {
    const fellBack: string[] = [];
    const fallback = async (j: FileJob) => {
      fellBack.push(j.path);
    };
    const write = createFileWriterThread(fallback, `require('node:worker_threads').parentPort.on('message', () => process.exit(1));`);
    await Promise.all([write(job('1', 'a')), write(job('2', 'b'))]);
    await write(job('3', 'c'));
    expect(fellBack.sort()).toEqual(['1', '2', '3'].map((n) => join(dir, 'a/b', n)));
  });
});
