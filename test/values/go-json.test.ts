import { execFileSync } from 'child_process';
import * as fc from 'fast-check';
import { compareGoStrings, goFieldNameMatches, goJsonMarshal, goJsonString } from '../../src/values/go-json';

describe('goJsonString', () => {
  test.each([
    ['plain', 'octo', '"octo"'],
    ['HTML characters', 'a&b<c>d', '"a\\u0026b\\u003cc\\u003ed"'],
    ['quote and backslash', 'w"rd\\x', '"w\\"rd\\\\x"'],
    ['slash is not escaped', 'https://index.docker.io/v1/', '"https://index.docker.io/v1/"'],
    ['short escapes', '\b\f\n\r\t', '"\\b\\f\\n\\r\\t"'],
    ['other control characters', '\u0000\u0001\u001f', '"\\u0000\\u0001\\u001f"'],
    ['DEL is raw', '\u007f', '"\u007f"'],
    ['line and paragraph separators', '\u2028\u2029', '"\\u2028\\u2029"'],
    ['non-ASCII is raw UTF-8', 'usér ✓ 🐳', '"usér ✓ 🐳"'],
  ])('%s', (_name, value, expected) => {
    expect(goJsonString(value)).toBe(expected);
  });

  test('decodes back to the same string and never holds raw characters Go escapes', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
      const value = a + b;
      const encoded = goJsonString(value);
      expect(JSON.parse(encoded)).toBe(value);
      expect(encoded.slice(1, -1)).not.toMatch(/[\u0000-\u001f<>&\u2028\u2029]|(?<!\\)"/);
    }));
  });

  // kubectl (Go 1.23) is the judge: the password field of its payload is Go's encoding of the string we give.
  test('writes every ASCII character and the separators exactly as kubectl does', () => {
    const ascii = Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)).join('');
    const password = `${ascii}\u2028\u2029é🐳`;
    const output = execFileSync('kubectl', [
      'create', 'secret', 'docker-registry', 'x', '--docker-server=s', '--docker-username=u',
      `--docker-password=${password}`, '--dry-run=client', '-o', 'json',
    ], { encoding: 'utf8' });
    const payload = Buffer.from(JSON.parse(output).data['.dockerconfigjson'], 'base64').toString('utf8');
    const written = payload.slice(payload.indexOf('"password":') + '"password":'.length, payload.indexOf(',"auth":'));
    expect(written).toBe(goJsonString(password));
  });
});

describe('goJsonMarshal', () => {
  test('writes compact JSON in insertion order with Go string escaping', () => {
    const value = { z: [1, 2.5, true, null], a: { 'k<': 'v&' }, m: 'x' };
    expect(goJsonMarshal(value)).toBe('{"z":[1,2.5,true,null],"a":{"k\\u003c":"v\\u0026"},"m":"x"}');
  });
});

describe('compareGoStrings', () => {
  test('orders by UTF-8 bytes, unlike the UTF-16 default sort', () => {
    const strings = ['\u{10000}', '\uffff', 'b', 'a', 'B'];
    expect([...strings].sort()).toEqual(['B', 'a', 'b', '\u{10000}', '\uffff']);
    expect([...strings].sort(compareGoStrings)).toEqual(['B', 'a', 'b', '\uffff', '\u{10000}']);
  });

  test('agrees with the UTF-8 byte order for any strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
      const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect(Math.sign(compareGoStrings(a, b))).toBe(bytes);
    }));
  });
});

describe('goFieldNameMatches', () => {
  test.each([
    ['username', 'username', true],
    ['Username', 'username', true],
    ['USERNAME', 'username', true],
    ['u\u017fername', 'username', true], // long s folds to s
    ['identityto\u212aen', 'identitytoken', true], // Kelvin sign folds to k
    ['ema\u0131l', 'email', false], // dotless i has no simple fold to i
    ['ema\u0130l', 'email', false], // nor has capital I with dot
    ['user_name', 'username', false],
    ['usernames', 'username', false],
    ['\u00fasername', 'username', false],
    ['', 'auth', false],
  ])('%j fills the Go field %j: %s', (key, field, expected) => {
    expect(goFieldNameMatches(key, field)).toBe(expected);
  });
});
