import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A function that makes a fresh temporary directory named `<prefix>…`; every directory it made is removed after the
 * test file's last test. Call it at the top level of a test file.
 */
export function tmpDirsRemovedAfterAll(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
