import {
  goMarshalString, GoTemplateError, renderExternalSecretsTemplate, renderGoTemplate, renderSealedSecretsTemplate,
} from './go-template';
import { loadReferenceJson } from './reference';

const KUBECTL_CASES: any[] = loadReferenceJson('image-reference', 'kubectl-docker-registry.json').cases;

function flagsOf(command: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const arg of command) {
    const match = /^--([a-z-]+)=(.*)$/s.exec(arg);
    if (match) {
      flags.set(match[1], match[2]);
    }
  }
  return flags;
}

describe('the Go template evaluator against real Go output (kubectl create secret docker-registry)', () => {
  // kubectl builds .dockerconfigjson with Go's json.Marshal, the function sprig's toJson calls, and `auth` with
  // base64.StdEncoding, the function sprig's b64enc calls: the same template rendered here must give its bytes.
  const built = KUBECTL_CASES.filter(c => c.rc === 0 && c.command[3] === 'docker-registry'
    && !c.command.some((arg: string) => arg.startsWith('--from-file')) && c.id !== 'append-hash');

  test('uses every flag-built run with a password', () => {
    expect(built.map(c => c.id)).toEqual(expect.arrayContaining(['special-chars', 'html-chars-email', 'unicode', 'gar-json-key']));
  });

  test.each(built.map(c => [c.id, c]))('%s', (_id, c) => {
    const flags = flagsOf(c.command);
    const data: { [key: string]: string } = {
      server: flags.get('docker-server') ?? 'https://index.docker.io/v1/',
      user: flags.get('docker-username')!,
      pass: flags.get('docker-password')!,
    };
    const email = flags.get('docker-email');
    if (email !== undefined) {
      data.email = email;
    }
    // `{"auths":{{{` would open an action at the first two braces (Go rejects it): the brace is printed by an action.
    const template = '{"auths":{{ "{" }}{{ .server | toJson }}:{"username":{{ .user | toJson }},"password":{{ .pass | toJson }},'
      + `${email === undefined ? '' : '"email":{{ index . "email" | toJson }},'}`
      + '"auth":{{ printf "%s:%s" .user .pass | b64enc | toJson }}}}}';
    expect(renderExternalSecretsTemplate(template, data)).toBe(c.decodedData['.dockerconfigjson']);
  });
});

describe('toJson is json.Marshal', () => {
  test.each([
    ['plain', 'abc', '"abc"'],
    ['HTML characters, escaped as Go does by default', '<a&b>', '"\\u003ca\\u0026b\\u003e"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['short escapes (Go 1.22+)', '\b\f\n\r\t', '"\\b\\f\\n\\r\\t"'],
    ['other control characters', '\u0000\u0001\u001f', '"\\u0000\\u0001\\u001f"'],
    ['JavaScript line terminators', '\u2028\u2029', '"\\u2028\\u2029"'],
    ['slash, DEL and non-ASCII stay raw', '/\u007fé✓🐳', '"/\u007fé✓🐳"'],
  ])('%s', (_name, input, expected) => {
    expect(goMarshalString(input)).toBe(expected);
    expect(renderExternalSecretsTemplate('{{ .v | toJson }}', { v: input })).toBe(expected);
  });

  test('a map is an object with keys in byte order', () => {
    expect(renderExternalSecretsTemplate('{{ . | toJson }}', { b: '2', a: '1', é: '3', Z: '0' }))
      .toBe('{"Z":"0","a":"1","b":"2","é":"3"}');
  });
});

describe('operands, pipelines and functions', () => {
  const data = { 'user': 'octo', 'pass': 'p@ss', 'with-dash': 'x' };

  test.each([
    ['text only', 'no actions {here}', 'no actions {here}'],
    ['a field', '{{ .user }}', 'octo'],
    ['index', '{{ index . "with-dash" }}', 'x'],
    ['index with no key gives the item', '{{ index . "user" | toString }}', 'octo'],
    ['a pipeline passes the value as the last argument', '{{ "a" | printf "%s-%s" "b" }}', 'b-a'],
    ['a parenthesised sub-pipeline is one operand', '{{ printf "%s:%s" (.user | toJson) (index . "pass" | b64enc) }}', '"octo":cEBzcw=='],
    ['a parenthesised first command is a value', '{{ (index . "pass") | toJson }}', '"p@ss"'],
    ['b64enc encodes UTF-8', '{{ "pässwörd🐳" | b64enc }}', Buffer.from('pässwörd🐳', 'utf8').toString('base64')],
    ['printf %% and %v', '{{ printf "100%% %v" .user }}', '100% octo'],
    ['printf with a missing operand', '{{ printf "%s:%s" .user }}', 'octo:%!s(MISSING)'],
    ['printf with an extra operand', '{{ printf "%s" .user .pass }}', 'octo%!(EXTRA string=p@ss)'],
    ['interpreted string escapes', '{{ "q\\"b\\\\n\\n\\t\\u00e9\\U0001F433" }}', 'q"b\\n\n\té🐳'],
    ['a raw string (carriage returns dropped)', '{{ `a\\n\r"b` }}', 'a\\n"b'],
    ['"}}" inside a string literal', '{{ "}}" }}', '}}'],
    ['an action that prints "{{"', 'a{{ "{{" }}{b', 'a{{{b'],
    ['newlines inside an action', '{{\n.user\n|\ntoJson\n}}', '"octo"'],
  ])('%s', (_name, template, expected) => {
    expect(renderExternalSecretsTemplate(template, data)).toBe(expected);
    expect(renderSealedSecretsTemplate(template, data)).toBe(expected);
  });
});

describe('missing keys', () => {
  test('External Secrets (missingkey=error): .missing is an error', () => {
    expect(() => renderExternalSecretsTemplate('{{ .missing }}', {})).toThrow(/map has no entry for key "missing"/);
  });

  test('Sealed Secrets (default): .missing prints "<no value>", is null for toJson and an error for b64enc', () => {
    expect(renderSealedSecretsTemplate('{{ .missing }}', {})).toBe('<no value>');
    expect(renderSealedSecretsTemplate('{{ .missing | toJson }}', {})).toBe('null');
    expect(() => renderSealedSecretsTemplate('{{ .missing | b64enc }}', {})).toThrow(/invalid value; expected string/);
  });

  test('index of a missing key is "" in both, whatever missingkey says', () => {
    expect(renderExternalSecretsTemplate('[{{ index . "missing" }}]', {})).toBe('[]');
    expect(renderSealedSecretsTemplate('[{{ index . "missing" | toJson }}]', {})).toBe('[""]');
  });
});

describe('templates Go rejects, and constructs outside the subset', () => {
  test.each([
    ['a value in a later pipeline stage', '{{ .a | .b }}', /non executable command in pipeline stage 2/],
    ['an argument to a non-function', '{{ .a "x" }}', /can't give argument to non-function \.a/],
    ['an undefined function', '{{ frobnicate .a }}', /function "frobnicate" not defined/],
    ['a prototype name is no function', '{{ constructor .a }}', /function "constructor" not defined/],
    ['wrong arity', '{{ b64enc .a .a }}', /wrong number of args for b64enc: want 1 got 2/],
    ['b64enc of a map', '{{ b64enc . }}', /expected string/],
    ['an unclosed action', '{{ .a ', /unclosed action/],
    ['three opening braces', '{"k":{{{ .a | toJson }}}', /unsupported.*character "\{" in an action/],
    ['an unclosed paren', '{{ (index . "a" }}', /unclosed left paren/],
    ['an unterminated string', '{{ "abc }}', /unterminated quoted string/],
    ['\\\' is no escape in a Go string', '{{ "it\\\'s" }}', /invalid escape/],
    ['a surrogate \\u escape', '{{ "\\ud800" }}', /invalid escape/],
    ['an empty action', '{{ }}', /missing value for command/],
    ['a trim marker', '{{- .a }}', /unsupported.*trim marker/],
    ['a comment', '{{/* c */}}', /unsupported.*comment/],
    ['a variable', '{{ $x := .a }}', /unsupported/],
    ['a number', '{{ printf "%d" 3 }}', /unsupported/],
    ['another sprig function', '{{ .a | quote }}', /unsupported.*"quote"/],
    ['another printf verb', '{{ printf "%q" .a }}', /unsupported.*printf verb %q/],
    ['chained fields', '{{ .a.b }}', /unsupported.*chained/],
    ['printing a map', '{{ . }}', /unsupported.*printing a map/],
  ])('%s', (_name, template, message) => {
    const render = () => renderGoTemplate(template, { a: 'x', b: 'y' }, { missingKey: 'error' });
    expect(render).toThrow(GoTemplateError);
    expect(render).toThrow(message);
  });
});
