import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gitIgnoredFiles } from '../../src/doctor/git-ignore';
import { loadManifests } from '../../src/doctor/manifests';

const SECRET = `apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: team-a}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"ghcr.io":{"auth":"dTpw"}}}'
`;

describe('gitIgnoredFiles, with a real git repository', () => {
  const repository = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repository });
  git('init', '-q');
  fs.writeFileSync(path.join(repository, '.gitignore'), '/dist/\n*.local.yaml\n');
  for (const file of ['dist/regcred.yaml', 'manifests/regcred.yaml', 'manifests/regcred.local.yaml', 'manifests/tracked.local.yaml']) {
    fs.mkdirSync(path.dirname(path.join(repository, file)), { recursive: true });
    fs.writeFileSync(path.join(repository, file), SECRET);
  }
  git('add', '-f', 'manifests/tracked.local.yaml');
  git('commit', '-q', '-m', 'tracked although it matches .gitignore');
  const file = (name: string) => path.join(repository, name);

  test('files matching .gitignore are ignored; tracked and other files are not', () => {
    const ignored = gitIgnoredFiles([file('dist/regcred.yaml'), file('manifests/regcred.yaml'), file('manifests/regcred.local.yaml'), file('manifests/tracked.local.yaml')]);
    expect([...ignored].map(each => path.relative(repository, each)).sort()).toEqual(['dist/regcred.yaml', 'manifests/regcred.local.yaml']);
  });

  test('files outside any work tree are never ignored', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-no-git-'));
    fs.writeFileSync(path.join(outside, 'a.yaml'), SECRET);
    expect(gitIgnoredFiles([path.join(outside, 'a.yaml')]).size).toBe(0);
  });

  test('loadManifests marks ignored files as not meant for Git', () => {
    const set = loadManifests(['.'], { cwd: repository });
    expect(set.manifests.map(manifest => [manifest.file, manifest.forGit])).toEqual([
      ['dist/regcred.yaml', false],
      ['manifests/regcred.local.yaml', false],
      ['manifests/regcred.yaml', true],
      ['manifests/tracked.local.yaml', true],
    ]);
  });
});
