// TEST-ONLY: an evaluator for the subset of Go `text/template` + sprig that the library writes into
// `ExternalSecret.spec.target.template.data` and `SealedSecret.spec.template.data`, so tests can render those templates
// as External Secrets (engine v2) and the Sealed Secrets controller would, without Go.
//
// Supported, with Go's semantics: text; actions `{{ pipeline }}`; pipelines `cmd | cmd | ...` where each later command
// gets the previous value as its last argument; operands `.`, `.key` (a map field), interpreted "..." and raw `...`
// string literals, parenthesised sub-pipelines; functions `index`, `printf` (`%s`, `%v`, `%%`), `b64enc`, `toJson`,
// `toString`. The data (`.`) is a map of strings, as both controllers pass it (`map[string]string`).
// Anything else (trim markers, comments, variables, numbers, other functions or verbs) throws `GoTemplateError`
// ("unsupported"), so a template outside the subset fails the test instead of rendering differently from Go.
//
// Facts this follows (read in upstream source, not copied):
// - External Secrets runtime/template/v2/template.go: `Option("missingkey=error")`, data is `map[string]string`,
//   sprig TxtFuncMap without env/expandenv.
// - Sealed Secrets pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go: default missingkey, data is
//   `map[string]string` of the decrypted values, sprig GenericFuncMap.
// - sprig `toJson` is `json.Marshal` (HTML-escaping `<`, `>`, `&`; `toRawJson` is the one that does not), `b64enc` is
//   `base64.StdEncoding.EncodeToString([]byte(s))`, `toString` of a string is the string.
// - text/template: `index` of a missing map key gives the element type's zero value ("") even with missingkey=error;
//   `.key` of a missing key is an error with missingkey=error, else an invalid value that prints as "<no value>",
//   becomes nil for an `interface{}` parameter (toJson → "null") and is an error for a `string` parameter.

/** How a missing `.key` behaves: External Secrets uses `error`, Sealed Secrets Go's default. */
export type MissingKey = 'error' | 'default';

/** Options of `renderGoTemplate`. */
export interface GoTemplateOptions {
  /** @default 'default' */
  readonly missingKey?: MissingKey;
}

/** A template that does not parse or execute (as Go would fail), or uses something outside the supported subset. */
export class GoTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTemplateError';
  }
}

/** Renders `template` over `data` as External Secrets (`missingKey: 'error'`) or Sealed Secrets (`'default'`) do. */
export function renderGoTemplate(template: string, data: { [key: string]: string }, options: GoTemplateOptions = {}): string {
  const nodes = parseTemplate(template);
  const context: Context = { data: { kind: 'map', value: data }, missingKey: options.missingKey ?? 'default' };
  return nodes.map(node => node.kind === 'text' ? node.text : printValue(evalPipeline(node.pipeline, context))).join('');
}

/** Renders `template` as the External Secrets template engine v2 does. */
export function renderExternalSecretsTemplate(template: string, data: { [key: string]: string }): string {
  return renderGoTemplate(template, data, { missingKey: 'error' });
}

/** Renders `template` as the Sealed Secrets controller does for `spec.template.data`. */
export function renderSealedSecretsTemplate(template: string, data: { [key: string]: string }): string {
  return renderGoTemplate(template, data, { missingKey: 'default' });
}

/**
 * Go's `json.Marshal` of a string: `"`, `\` and control characters escaped (`\b \f \n \r \t` short, since Go 1.22),
 * `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes, everything else (including `/`, DEL and non-ASCII) raw.
 */
export function goMarshalString(value: string): string {
  let out = '"';
  for (const char of value) {
    out += escapeForGoJson(char);
  }
  return `${out}"`;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

type Value =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'map'; readonly value: { readonly [key: string]: string } }
  | { readonly kind: 'invalid' };

interface Context {
  readonly data: Value;
  readonly missingKey: MissingKey;
}

const str = (value: string): Value => ({ kind: 'string', value });

function printValue(value: Value): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'invalid':
      return '<no value>';
    default:
      throw unsupported('printing a map');
  }
}

/** A `string` parameter of a Go function: an invalid value or a map is an execution error. */
function stringArg(fn: string, value: Value): string {
  if (value.kind === 'string') {
    return value.value;
  }
  throw new GoTemplateError(value.kind === 'invalid'
    ? `error calling ${fn}: invalid value; expected string`
    : `wrong type for value; expected string; got map[string]string (in ${fn})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

type Operand =
  | { readonly kind: 'dot' }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'pipeline'; readonly pipeline: Pipeline };

type Command = Operand[];
type Pipeline = Command[];
type Node = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'action'; readonly pipeline: Pipeline };

const FUNCTIONS = new Map<string, (args: Value[]) => Value>([
  ['index', callIndex],
  ['printf', callPrintf],
  ['b64enc', args => str(Buffer.from(stringArg('b64enc', only('b64enc', args)), 'utf8').toString('base64'))],
  ['toJson', args => str(marshalJson(only('toJson', args)))],
  ['toString', args => str(toStringOf(only('toString', args)))],
]);

function parseTemplate(template: string): Node[] {
  const nodes: Node[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf('{{', pos);
    if (open < 0) {
      nodes.push({ kind: 'text', text: template.slice(pos) });
      break;
    }
    if (open > pos) {
      nodes.push({ kind: 'text', text: template.slice(pos, open) });
    }
    const tokens = lexAction(template, open + 2);
    const parser = new PipelineParser(tokens.tokens);
    nodes.push({ kind: 'action', pipeline: parser.parseAll() });
    pos = tokens.end;
  }
  return nodes;
}

type Token =
  | { readonly kind: 'punct'; readonly value: '(' | ')' | '|' }
  | { readonly kind: 'dot' }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'identifier'; readonly name: string };

/** Tokens of one action starting after `{{`, and the position after its `}}`. */
function lexAction(template: string, start: number): { tokens: Token[]; end: number } {
  if (template[start] === '-' && /\s/.test(template[start + 1] ?? '')) {
    throw unsupported('trim marker "{{-"');
  }
  if (template.startsWith('/*', start)) {
    throw unsupported('comment');
  }
  const tokens: Token[] = [];
  let pos = start;
  for (;;) {
    if (pos >= template.length) {
      throw new GoTemplateError('unclosed action');
    }
    const char = template[pos];
    if (template.startsWith('}}', pos)) {
      if (/\s-$/.test(template.slice(pos - 2, pos))) {
        throw unsupported('trim marker "-}}"');
      }
      return { tokens, end: pos + 2 };
    }
    if (/[ \t\r\n]/.test(char)) {
      pos++;
    } else if (char === '(' || char === ')' || char === '|') {
      tokens.push({ kind: 'punct', value: char });
      pos++;
    } else if (char === '"') {
      const { value, end } = lexInterpretedString(template, pos);
      tokens.push({ kind: 'string', value });
      pos = end;
    } else if (char === '`') {
      const end = template.indexOf('`', pos + 1);
      if (end < 0) {
        throw new GoTemplateError('unterminated raw quoted string');
      }
      tokens.push({ kind: 'string', value: template.slice(pos + 1, end).replace(/\r/g, '') });
      pos = end + 1;
    } else if (char === '.') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(template.slice(pos + 1))?.[0];
      if (name !== undefined && template[pos + 1 + name.length] === '.') {
        throw unsupported('chained field access');
      }
      tokens.push(name === undefined ? { kind: 'dot' } : { kind: 'field', name });
      pos += 1 + (name?.length ?? 0);
    } else if (/[A-Za-z_]/.test(char)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(template.slice(pos))![0];
      tokens.push({ kind: 'identifier', name });
      pos += name.length;
    } else {
      throw unsupported(`character ${JSON.stringify(char)} in an action`);
    }
  }
}

const SIMPLE_ESCAPES: { [char: string]: string } = {
  'a': '\u0007', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\', '"': '"',
};

/** A Go interpreted string literal (strconv.Unquote rules), from the opening quote at `start`. */
function lexInterpretedString(template: string, start: number): { value: string; end: number } {
  let value = '';
  let pos = start + 1;
  for (;;) {
    const char = template[pos];
    if (char === undefined || char === '\n') {
      throw new GoTemplateError('unterminated quoted string');
    }
    if (char === '"') {
      return { value, end: pos + 1 };
    }
    if (char !== '\\') {
      value += char;
      pos++;
      continue;
    }
    const escape = template[pos + 1];
    if (SIMPLE_ESCAPES[escape] !== undefined) {
      value += SIMPLE_ESCAPES[escape];
      pos += 2;
    } else if (escape === 'u' || escape === 'U') {
      const digits = escape === 'u' ? 4 : 8;
      const hex = template.slice(pos + 2, pos + 2 + digits);
      const codePoint = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(codePoint) || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        throw new GoTemplateError(`invalid escape \\${escape}${hex} in quoted string`);
      }
      value += String.fromCodePoint(codePoint);
      pos += 2 + digits;
    } else if (escape === 'x' || /[0-7]/.test(escape ?? '')) {
      throw unsupported('byte escapes (\\x, octal) in string literals');
    } else {
      throw new GoTemplateError(`invalid escape \\${escape} in quoted string`);
    }
  }
}

class PipelineParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  public parseAll(): Pipeline {
    const pipeline = this.parsePipeline();
    if (this.pos < this.tokens.length) {
      throw new GoTemplateError(`unexpected ${describeToken(this.tokens[this.pos])} in action`);
    }
    return pipeline;
  }

  private parsePipeline(): Pipeline {
    const commands: Command[] = [this.parseCommand()];
    while (this.peekPunct('|')) {
      this.pos++;
      commands.push(this.parseCommand());
    }
    // Go: every command after the first receives a value, so it must be a function call.
    commands.slice(1).forEach((command, i) => {
      if (command[0].kind !== 'function') {
        throw new GoTemplateError(`non executable command in pipeline stage ${i + 2}`);
      }
    });
    return commands;
  }

  private parseCommand(): Command {
    const operands: Operand[] = [];
    while (this.pos < this.tokens.length && !this.peekPunct('|') && !this.peekPunct(')')) {
      operands.push(this.parseOperand(operands.length === 0));
    }
    if (operands.length === 0) {
      throw new GoTemplateError('missing value for command');
    }
    if (operands[0].kind !== 'function' && operands.length > 1) {
      throw new GoTemplateError(`can't give argument to non-function ${describeOperand(operands[0])}`);
    }
    return operands;
  }

  private parseOperand(first: boolean): Operand {
    const token = this.tokens[this.pos++];
    switch (token.kind) {
      case 'dot':
        return { kind: 'dot' };
      case 'field':
        return { kind: 'field', name: token.name };
      case 'string':
        return { kind: 'string', value: token.value };
      case 'identifier':
        if (!FUNCTIONS.has(token.name)) {
          throw SPRIG_OR_BUILTIN_ELSEWHERE.has(token.name)
            ? unsupported(`function "${token.name}"`)
            : new GoTemplateError(`function "${token.name}" not defined`);
        }
        if (!first) {
          throw unsupported(`function "${token.name}" as an argument`);
        }
        return { kind: 'function', name: token.name };
      default:
        return this.parseParenthesised(token.value);
    }
  }

  private parseParenthesised(punct: string): Operand {
    if (punct !== '(') {
      throw new GoTemplateError(`unexpected "${punct}" in operand`);
    }
    const pipeline = this.parsePipeline();
    if (!this.peekPunct(')')) {
      throw new GoTemplateError('unclosed left paren');
    }
    this.pos++;
    return { kind: 'pipeline', pipeline };
  }

  private peekPunct(value: string): boolean {
    const token = this.tokens[this.pos];
    return token !== undefined && token.kind === 'punct' && token.value === value;
  }
}

// Names that exist in Go templates or sprig but are outside the subset: using one is "unsupported", not "not defined".
const SPRIG_OR_BUILTIN_ELSEWHERE = new Set(
  ['and', 'or', 'not', 'len', 'print', 'println', 'eq', 'ne', 'if', 'range', 'with', 'end', 'else', 'define',
    'template', 'block', 'true', 'false', 'nil', 'b64dec', 'toRawJson', 'toPrettyJson', 'fromJson', 'quote',
    'squote', 'lower', 'upper', 'replace', 'trim', 'default', 'toYaml', 'fromYaml', 'get', 'dict', 'list']);

function describeToken(token: Token): string {
  return token.kind === 'punct' ? `"${token.value}"` : token.kind;
}

function describeOperand(operand: Operand): string {
  return operand.kind === 'field' ? `.${operand.name}` : operand.kind;
}

// ---------------------------------------------------------------------------------------------------------------
// Execution

function evalPipeline(pipeline: Pipeline, context: Context): Value {
  let value: Value | undefined;
  for (const command of pipeline) {
    value = evalCommand(command, context, value);
  }
  return value!;
}

function evalCommand(command: Command, context: Context, piped: Value | undefined): Value {
  const [head, ...rest] = command;
  if (head.kind !== 'function') {
    return evalOperand(head, context);
  }
  const args = rest.map(operand => evalOperand(operand, context));
  return FUNCTIONS.get(head.name)!(piped === undefined ? args : [...args, piped]);
}

function evalOperand(operand: Operand, context: Context): Value {
  switch (operand.kind) {
    case 'dot':
      return context.data;
    case 'string':
      return str(operand.value);
    case 'pipeline':
      return evalPipeline(operand.pipeline, context);
    case 'field':
      return evalField(operand.name, context);
    default:
      throw unsupported(`function "${operand.name}" as an argument`);
  }
}

function evalField(name: string, context: Context): Value {
  const data = context.data;
  if (data.kind !== 'map') {
    throw new GoTemplateError(`can't evaluate field ${name} in type string`);
  }
  if (Object.prototype.hasOwnProperty.call(data.value, name)) {
    return str(data.value[name]);
  }
  if (context.missingKey === 'error') {
    throw new GoTemplateError(`map has no entry for key "${name}"`);
  }
  return { kind: 'invalid' };
}

function only(fn: string, args: Value[]): Value {
  if (args.length !== 1) {
    throw new GoTemplateError(`wrong number of args for ${fn}: want 1 got ${args.length}`);
  }
  return args[0];
}

function callIndex(args: Value[]): Value {
  if (args.length === 0) {
    throw new GoTemplateError('wrong number of args for index: want at least 1 got 0');
  }
  let item = args[0];
  for (const key of args.slice(1)) {
    if (item.kind !== 'map') {
      throw item.kind === 'invalid'
        ? new GoTemplateError('error calling index: index of untyped nil')
        : unsupported('index of a string');
    }
    const name = stringArg('index', key);
    // Go: a missing map key gives the zero value of the element type, whatever missingkey says.
    item = str(Object.prototype.hasOwnProperty.call(item.value, name) ? item.value[name] : '');
  }
  return item;
}

/** Go's fmt.Sprintf for string operands and the verbs %s, %v and %%, including its in-band error notes. */
function callPrintf(args: Value[]): Value {
  if (args.length === 0) {
    throw new GoTemplateError('wrong number of args for printf: want at least 1 got 0');
  }
  const format = stringArg('printf', args[0]);
  const operands = args.slice(1);
  let next = 0;
  const out = format.replace(/%(.)?/gs, (_match, verb: string | undefined) => {
    if (verb === '%') {
      return '%';
    }
    if (verb !== 's' && verb !== 'v') {
      throw unsupported(`printf verb %${verb ?? ''}`);
    }
    if (next >= operands.length) {
      return `%!${verb}(MISSING)`;
    }
    return printfOperand(operands[next++]);
  });
  const extra = operands.slice(next).map(operand => `string=${printfOperand(operand)}`);
  return str(extra.length > 0 ? `${out}%!(EXTRA ${extra.join(', ')})` : out);
}

function printfOperand(value: Value): string {
  if (value.kind === 'string') {
    return value.value;
  }
  throw unsupported(`printf of ${value.kind === 'map' ? 'a map' : 'an invalid value'}`);
}

function toStringOf(value: Value): string {
  if (value.kind === 'string') {
    return value.value;
  }
  throw unsupported(`toString of ${value.kind === 'map' ? 'a map' : 'an invalid value'}`);
}

/** json.Marshal of a template value: a string, nil (an invalid value) or a map (keys sorted as Go sorts them). */
function marshalJson(value: Value): string {
  switch (value.kind) {
    case 'string':
      return goMarshalString(value.value);
    case 'invalid':
      return 'null';
    default: {
      const keys = Object.keys(value.value).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
      return `{${keys.map(key => `${goMarshalString(key)}:${goMarshalString(value.value[key])}`).join(',')}}`;
    }
  }
}

const GO_SHORT_ESCAPES: { [char: string]: string } = {
  '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

function escapeForGoJson(char: string): string {
  const code = char.codePointAt(0)!;
  if (GO_SHORT_ESCAPES[char] !== undefined) {
    return GO_SHORT_ESCAPES[char];
  }
  if (code < 0x20 || char === '<' || char === '>' || char === '&' || code === 0x2028 || code === 0x2029) {
    return `\\u${code.toString(16).padStart(4, '0')}`;
  }
  if (code >= 0xd800 && code <= 0xdfff) {
    // A lone surrogate cannot come from UTF-8 data; Go would have written U+FFFD for the invalid bytes.
    throw unsupported('a string that is not well-formed Unicode');
  }
  return char;
}

function unsupported(what: string): GoTemplateError {
  return new GoTemplateError(`unsupported in the test evaluator: ${what}`);
}
