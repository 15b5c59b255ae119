import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ValidationError } from '../../src/errors';
import { ImageReference, parseImageReference } from '../../src/values/image-reference';
import { validationErrorOf } from '../helpers/errors';
import { loadReferenceJson } from '../helpers/reference';

const REFERENCE = loadReferenceJson('image-reference', 'vectors.json');
const VECTORS: any[] = REFERENCE.vectors;
const COMPOSE: any[] = REFERENCE.compose;
const FAMILIAR_MATCH: any[] = REFERENCE.familiarMatch;

// What our error message must say for each upstream error code (the codes of the vectors' fieldGuide).
const PROBLEM_BY_ERROR: { [error: string]: RegExp } = {
  'ErrNameEmpty': /is empty/,
  // A grammar error may be described in many ways, but never as one of the specific errors below.
  'ErrReferenceInvalidFormat': /^(?!.*(must be lowercase|at most 255 characters|64-hex image ID|unsupported digest algorithm))/,
  'ErrNameContainsUppercase': /repository name must be lowercase/,
  'NormalizeUppercaseRemoteName': /repository name must be lowercase/,
  'ErrNameTooLong': /at most 255 characters/,
  'NormalizeHexIdentifierName': /64-hex image ID/,
  'digest.ErrDigestInvalidLength': /digest must be sha256 with 64 lowercase hex digits \(it has \d+\)/,
  'digest.ErrDigestInvalidFormat': /digest must be sha256 with 64 lowercase hex digits \(it has uppercase\)/,
  'digest.ErrDigestUnsupported': /unsupported digest algorithm/,
};

function orNull(value?: string): string | null {
  return value ?? null;
}

function normalizedFields(ref: ImageReference) {
  return {
    valid: true,
    domain: ref.domain,
    path: ref.path,
    tag: orNull(ref.tag),
    digest: orNull(ref.digest),
    fullName: ref.name,
    string: ref.toString(),
    familiarName: ref.familiarName,
    familiarString: ref.familiarString,
    dockerRef: ref.dockerRef,
  };
}

function exactFields(ref: ImageReference) {
  return {
    valid: true,
    name: ref.name,
    domain: ref.domain,
    path: ref.path,
    tag: orNull(ref.tag),
    digest: orNull(ref.digest),
    string: ref.toString(),
  };
}

function expectedValid(expected: any, fields: string[]) {
  return Object.fromEntries(fields.map(field => [field, expected[field]]));
}

describe('ImageReference.parse (ParseNormalizedNamed vectors)', () => {
  const fields = ['valid', 'domain', 'path', 'tag', 'digest', 'fullName', 'string', 'familiarName', 'familiarString', 'dockerRef'];

  test.each(VECTORS)('$input', ({ input, normalized }) => {
    expect({ input, valid: ImageReference.isValid(input) }).toEqual({ input, valid: normalized.valid });
    if (normalized.valid) {
      expect({ input, ...normalizedFields(ImageReference.parse(input)) }).toEqual({ input, ...expectedValid(normalized, fields) });
    } else {
      const error = validationErrorOf(() => ImageReference.parse(input));
      expect({ input, property: error.property }).toEqual({ input, property: 'image' });
      expect({ input, problem: error.problem }).toEqual({ input, problem: expect.stringMatching(PROBLEM_BY_ERROR[normalized.error]) });
      expect(error.fix).not.toBe('');
    }
  });
});

describe('ImageReference.parseExact (Parse vectors)', () => {
  const fields = ['valid', 'name', 'domain', 'path', 'tag', 'digest', 'string'];

  test.each(VECTORS)('$input', ({ input, parse }) => {
    if (parse.valid) {
      expect({ input, ...exactFields(ImageReference.parseExact(input)) }).toEqual({ input, ...expectedValid(parse, fields) });
    } else {
      const error = validationErrorOf(() => ImageReference.parseExact(input));
      expect({ input, property: error.property }).toEqual({ input, property: 'image' });
      expect({ input, problem: error.problem }).toEqual({ input, problem: expect.stringMatching(PROBLEM_BY_ERROR[parse.error]) });
    }
  });
});

// The upstream WithTag/WithDigest tests use a 37-hex "sha256:" placeholder, which WithDigest lets through because it
// checks only the grammar. We validate digests fully (the kubelet would reject that image), so each row is run with
// the placeholder replaced by a real digest, and the placeholder itself must be rejected.
const UPSTREAM_PLACEHOLDER_DIGEST = 'sha256:1234567890098765432112345667890098765';
const VALID_DIGEST = 'sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912';

function realDigest(value: string | null | undefined): string | undefined {
  return value ? value.replace(UPSTREAM_PLACEHOLDER_DIGEST, VALID_DIGEST) : undefined;
}

function compose(row: any): ImageReference {
  const ref = ImageReference.parseExact(row.name);
  const digest = realDigest(row.digest);
  if (row.test.endsWith('TestWithTag')) {
    return (digest ? ref.withDigest(digest) : ref).withTag(row.tag);
  }
  return (row.tag ? ref.withTag(row.tag) : ref).withDigest(digest!);
}

describe('withTag / withDigest (compose table)', () => {
  test.each(COMPOSE)('$test: $name tag=$tag digest=$digest', row => {
    const input = `${row.name} tag=${row.tag} digest=${row.digest}`;
    if (row.error) {
      expect(() => compose(row)).toThrow(ValidationError);
    } else {
      expect({ input, combined: compose(row).toString() }).toEqual({ input, combined: realDigest(row.combined) });
    }
  });

  test('the upstream placeholder digest (37 hex digits) is rejected', () => {
    const error = validationErrorOf(() => ImageReference.parseExact('test.com/foo').withDigest(UPSTREAM_PLACEHOLDER_DIGEST));
    expect(error.property).toBe('digest');
    expect(error.message).toContain('digest must be sha256 with 64 lowercase hex digits (it has 37)');
  });

  test('withTag keeps the digest and withDigest keeps the tag', () => {
    const ref = ImageReference.parse('ghcr.io/org/app:1.0').withDigest(VALID_DIGEST).withTag('2.0');
    expect(ref.toString()).toBe(`ghcr.io/org/app:2.0@${VALID_DIGEST}`);
    expect(ref.dockerRef).toBe(`ghcr.io/org/app@${VALID_DIGEST}`);
  });
});

describe('matchesFamiliarPattern (FamiliarMatch table)', () => {
  test.each(FAMILIAR_MATCH)('$reference ~ $pattern', ({ reference, pattern, expected }) => {
    const ref = ImageReference.parse(reference);
    if (typeof expected === 'boolean') {
      expect({ reference, pattern, matched: ref.matchesFamiliarPattern(pattern) }).toEqual({ reference, pattern, matched: expected });
    } else {
      const error = validationErrorOf(() => ref.matchesFamiliarPattern(pattern));
      expect(error.property).toBe('pattern');
    }
  });

  test.each([
    ['nginx:1.25', 'ngin?', true],
    ['nginx:1.25', 'n[^h-z]inx', true],
    ['nginx:1.25', 'n[^a-h]inx', false],
    ['nginx:1.25', 'n[h-a]inx', false],
    ['ghcr.io/org/app', 'ghcr.io/*', false],
    ['ghcr.io/org/app', 'ghcr.io/*/*', true],
    ['nginx', 'ngin\\x', true],
    ['nginx', 'ngin\\*', false],
    ['nginx', '[^m]ginx', true],
  ])('%s ~ %s is %s (path.Match rules)', (reference, pattern, expected) => {
    expect(ImageReference.parse(reference as string).matchesFamiliarPattern(pattern as string)).toBe(expected);
  });

  test.each(['[', '[]', '[a-]', '[^]', 'abc\\', '[a'])('malformed pattern %s is rejected', pattern => {
    expect(() => ImageReference.parse('nginx').matchesFamiliarPattern(pattern)).toThrow(ValidationError);
  });
});

describe('bad image references', () => {
  test.each([
    ['', /image reference is empty/, /write \[registry\/\]repository/],
    ['MyOrg/App', /repository name must be lowercase/, /write "MyOrg\/app"/],
    ['myorg/App:V1', /repository name must be lowercase/, /write "myorg\/app:V1"/],
    ['ghcr.io/OpenChoreo/controller:v1', /repository name must be lowercase/, /write "ghcr.io\/openchoreo\/controller:v1"/],
    [`example.com/app:${'t'.repeat(129)}`, /tag may have at most 128 characters \(it has 129\)/, /shorten the tag/],
    ['example.com/app:-tag', /tag "-tag" is invalid/, /remove the other characters/],
    ['example.com/app:', /tag "" is invalid/, /remove the other characters/],
    ['example.com/app@sha512:' + 'a'.repeat(128), /unsupported digest algorithm "sha512"/, /@sha256:/],
    ['example.com/app@sha256:' + 'a'.repeat(63), /64 lowercase hex digits \(it has 63\)/, /@sha256:/],
    ['example.com/app@sha256:' + 'A'.repeat(64), /64 lowercase hex digits \(it has uppercase\)/, /write "sha256:a{64}"/],
    ['example.com/app@sha256:xyz', /is not "algorithm:hex"/, /@sha256:/],
    ['a'.repeat(64), /64-hex image ID/, /@sha256:<hex>/],
    [`example.com/${'a'.repeat(256)}`, /at most 255 characters \(it has 256\)/, /shorten the repository path/],
    ['https://ghcr.io/org/app', /must not contain a URL scheme/, /write "ghcr.io\/org\/app"/],
    ['ghcr.io/org/app :v1', /must not contain whitespace/, /write "ghcr.io\/org\/app:v1"/],
    ['bad_host.com:8080/app', /registry host "bad_host.com:8080" is invalid/, /host name/],
    ['localhost:http/app', /registry host "localhost:http" is invalid/, /":port" in digits/],
    ['[2001:db8::1]:5000', /registry host "\[2001:db8::1\]:5000" must be followed by "\/"/, /<repository>/],
    [':justtag', /has no repository name/, /write \[registry\/\]repository/],
    ['example.com//app', /empty component/, /write \[registry\/\]repository/],
    ['example.com/a..b', /path component "a..b" is invalid/, /separated by one "\."/],
    ['-docker', /path component "-docker" is invalid/, /starting and ending with a letter or digit/],
  ])('%j', (input, problem, fix) => {
    const error = validationErrorOf(() => ImageReference.parse(input as string));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^image: /);
    expect(error.problem).toMatch(problem as RegExp);
    expect(error.fix).toMatch(fix as RegExp);
    expect(error.message).toContain(`Fix: ${error.fix}`);
  });

  test('an invalid tag or digest given to withTag/withDigest names that property', () => {
    const ref = ImageReference.parse('nginx');
    expect(validationErrorOf(() => ref.withTag('-foo')).message).toMatch(/^tag: tag "-foo" is invalid.*Fix: /);
    expect(validationErrorOf(() => ref.withDigest('foo')).message).toMatch(/^digest: digest must be sha256.*Fix: /);
  });
});

describe('parseImageReference (for constructs)', () => {
  test('names the construct path and the property that held the image', () => {
    const scope = new Construct(Testing.chart(), 'pull-secret');
    const error = validationErrorOf(() => parseImageReference('Nginx', 'images[2]', scope));
    expect(error.message).toBe('[test/pull-secret] images[2]: repository name must be lowercase (got "Nginx"). Fix: write "nginx"');
  });

  test('returns the same reference as ImageReference.parse', () => {
    expect(parseImageReference('nginx:1.25', 'image').toString()).toBe(ImageReference.parse('nginx:1.25').toString());
  });
});
