import { Chart, Testing } from 'cdk8s';
import { ValidationError } from '../../src/errors';
import { RegistryPrefix } from '../../src/openchoreo/registry-prefix';
import { loadReferenceJson } from '../helpers/reference';

const scope = () => Testing.chart() as Chart;
const parse = (prefix: string) => RegistryPrefix.parse(prefix, 'prefix', scope());

describe('RegistryPrefix.parse', () => {
  test.each([
    ['docker.io/acme', 'docker.io'],
    ['ghcr.io/acme/team', 'ghcr.io'],
    ['registry.choreo-system:5000', 'registry.choreo-system:5000'],
    ['localhost:5000/team', 'localhost:5000'],
    ['[::1]:5000/team', '[::1]:5000'],
  ])('%s has host %s', (prefix, host) => {
    expect(parse(prefix)).toMatchObject({ prefix, host });
  });

  test.each([
    ['acme', 'write "docker.io/acme"'],
    ['index.docker.io/acme', 'write "docker.io/acme"'],
    ['docker.io', 'write "docker.io/library"'],
    ['acme/team', 'write "docker.io/acme/team"'],
  ])('%s is refused: images under it resolve elsewhere', (prefix, fix) => {
    expect(() => parse(prefix)).toThrow(ValidationError);
    expect(() => parse(prefix)).toThrow(fix);
  });

  test.each(['https://ghcr.io/acme', 'ghcr.io/acme/', 'ghcr.io/acme:v1', 'ghcr.io/acme@sha256:' + 'a'.repeat(64), 'ghcr.io/Acme', '', 'ghcr.io//acme'])(
    '%j is no prefix', prefix => {
      expect(() => parse(prefix)).toThrow('is not a registry prefix');
    });
});

describe('RegistryPrefix.coveringKeys: which auths keys the kubelet offers for images under the prefix', () => {
  test.each([
    ['docker.io/acme', ['https://index.docker.io/v1/', 'index.docker.io', 'ghcr.io'], ['https://index.docker.io/v1/', 'index.docker.io']],
    // The index.docker.io keys are only a fallback, used when no key matches directly.
    ['docker.io/acme', ['https://index.docker.io/v1/', 'docker.io'], ['docker.io']],
    ['docker.io/acme', ['registry-1.docker.io', 'https://registry-1.docker.io/v2/'], []],
    ['ghcr.io/acme', ['ghcr.io', 'ghcr.io/acme', 'ghcr.io/other', 'https://ghcr.io'], ['ghcr.io/acme', 'ghcr.io', 'https://ghcr.io']],
    ['ghcr.io/acme', ['ghcr.io/acme/team'], []],
    ['registry.example.com:5000/team', ['registry.example.com', 'registry.example.com:5000'], ['registry.example.com:5000']],
    ['myregistry.azurecr.io/team', ['*.azurecr.io'], ['*.azurecr.io']],
  ])('%s with %j → %j', (prefix, keys, covering) => {
    expect(parse(prefix).coveringKeys(keys)).toEqual(covering);
  });

  // The keyring's key normalization vectors: a host-only pattern covers a prefix when it is the prefix's host, or, for
  // Docker Hub images, index.docker.io (the kubelet's fallback).
  const normalized: Array<{ configKey: string; pattern: string | null }> = loadReferenceJson('kubelet-keyring', 'vectors.json').keyNormalization;
  const hostOnly = normalized.filter(row => row.pattern !== null && !/[/*]/.test(row.pattern));

  test.each(['docker.io/acme', 'ghcr.io/acme', 'quay.io/org/app', 'registry.example.com:443/team'])('%s: every host-only key of the normalization vectors', prefix => {
    const host = parse(prefix).host;
    const expected = hostOnly
      .filter(row => row.pattern === host || (host === 'docker.io' && row.pattern === 'index.docker.io'))
      .map(row => row.configKey);
    expect(expected.length).toBeGreaterThan(0);
    const covering = hostOnly.filter(row => parse(prefix).coveringKeys([row.configKey]).length > 0).map(row => row.configKey);
    expect(covering).toEqual(expected);
  });
});
