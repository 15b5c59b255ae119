import * as fs from 'fs';
import * as path from 'path';
import { REFERENCE_DIR } from './helpers/reference';

const SHARED_REFERENCE = path.join(__dirname, '..', '..', 'shared', 'reference');

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory()
      ? listFiles(path.join(dir, entry.name)).map(f => path.join(entry.name, f))
      : [entry.name]).sort();
}

describe('test/fixtures/reference', () => {
  test('holds every reference folder with its SOURCES.md', () => {
    const folders = fs.readdirSync(REFERENCE_DIR).filter(f => fs.statSync(path.join(REFERENCE_DIR, f)).isDirectory());
    expect(folders.length).toBeGreaterThanOrEqual(8);
    for (const folder of folders) {
      expect(fs.existsSync(path.join(REFERENCE_DIR, folder, 'SOURCES.md'))).toBe(true);
    }
  });

  const sharedExists = fs.existsSync(SHARED_REFERENCE);
  (sharedExists ? test : test.skip)('is byte-identical to ../shared/reference', () => {
    const ours = listFiles(REFERENCE_DIR);
    expect(ours).toEqual(listFiles(SHARED_REFERENCE));
    for (const file of ours) {
      expect(fs.readFileSync(path.join(REFERENCE_DIR, file)).equals(fs.readFileSync(path.join(SHARED_REFERENCE, file)))).toBe(true);
    }
  });
});
