import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { credentialShapeProblem, KNOWN_TOKEN, PRIVATE_KEY_PEM } from './credential-patterns';

export { credentialShapeProblem };

// One place that decides whether a value given for a NON-secret field (a registry, a URL, an image, a username, a
// CA bundle) looks like it carries a credential, so that every such field refuses it the same way and no error
// message ever echoes it. Internal: not exported from index.ts.
//
// The checks look at the shape only, never at a list of known secrets:
// - userinfo in a URL or registry (`https://u:tok@ghcr.io`, `u:tok@ghcr.io/acme`), also behind a misspelt scheme
//   (`htps://u:tok@…`) that URL parsers reject, so the check cannot rely on a parser;
// - a query string or fragment whose parameter name says token, secret, password, key, signature or credential
//   (`?token=…`, `#access_token=…`, `?X-Amz-Signature=…`);
// - "name:secret" in a username (the `auth` field is `username:password`, so the part after ":" is a password);
// - a private-key PEM block of any kind (`-----BEGIN … PRIVATE KEY-----`, `-----BEGIN PGP PRIVATE KEY BLOCK-----`);
// - well-known token prefixes (GitHub `ghp_`…, GitLab `glpat-`, Docker Hub `dckr_pat_`, AWS `AKIA`…, JWTs).

/**
 * Throws a ValidationError that shows only the value's length when `value` looks like it carries a credential.
 *
 * @param what what the field should hold, for the fix, e.g. `the registry host, e.g. "ghcr.io"`
 */
export function refuseCredentialShape(value: string, property: string, what: string, scope?: IConstruct): void {
  const problem = credentialShapeProblem(value);
  if (problem !== undefined) {
    throw credentialShapeError(value, property, problem, what, scope);
  }
}

/**
 * Refuses a username that holds "name:secret" (the part after ":" would be sent as part of the password, and is
 * probably the password itself), or any other credential shape, without echoing it.
 */
export function refuseCredentialInUsername(username: string, property: string, scope?: IConstruct): void {
  if (username.includes(':')) {
    throw credentialShapeError(username, property,
      'contains ":"; the `auth` field is "username:password", so the text after ":" would be sent as part of the '
      + 'password (and is probably the password itself)',
      'the account or robot name only, and give the password or token as a SecretValue', scope);
  }
  // Not the userinfo check: "name@example.com" is a normal username at many registries.
  const problem = PRIVATE_KEY_PEM.test(username) ? 'holds a private key'
    : KNOWN_TOKEN.test(username) ? 'holds what looks like an access token' : undefined;
  if (problem !== undefined) {
    throw credentialShapeError(username, property, problem, 'the account or robot name only', scope);
  }
}

/**
 * Refuses text that should hold only PEM certificates (a CA bundle) when it holds anything else: a private key, a
 * PGP block, or any other text outside `-----BEGIN CERTIFICATE-----` blocks. Nothing of the text is echoed.
 */
export function refuseNonCertificateText(text: string, property: string, scope?: IConstruct): void {
  const rest = text.replace(CERTIFICATE_BLOCK, '');
  if (rest.trim() === '' && !PRIVATE_KEY_PEM.test(text)) {
    return;
  }
  const labels = [...rest.matchAll(/-----BEGIN ([A-Z0-9 ]{1,40})-----/g)].map(match => match[1]);
  const problem = PRIVATE_KEY_PEM.test(text)
    ? 'holds a private key; only public certificates belong here'
    : labels.length > 0
      ? `holds a "${labels[0]}" block; only "CERTIFICATE" blocks belong here`
      : 'holds text outside "-----BEGIN CERTIFICATE-----" blocks';
  throw credentialShapeError(text, property, problem,
    'the CA certificate(s) in PEM form ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----") and nothing else', scope);
}

function credentialShapeError(value: string, property: string, problem: string, what: string, scope?: IConstruct): ValidationError {
  return new ValidationError({
    scope,
    property,
    value,
    secret: true,
    problem: `${problem}, which would end up in a non-secret value (the value is not shown)`,
    fix: `give ${what}; pass secrets only as SecretValue, and rotate this credential if it was ever committed`,
  });
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]*-----END CERTIFICATE-----/g;

/**
 * Refuses text that the Go template, go-yaml or the registry would read differently from what the library checked:
 * a lone UTF-16 surrogate (no UTF-8 form: Go writes U+FFFD), or a control character (C0, DEL, C1 such as NEL, which
 * go-yaml folds into a space). Used for usernames, emails and registry hosts; the value is shown only escaped.
 */
export function refuseInvisibleCharacters(value: string, property: string, scope?: IConstruct): void {
  const problem = LONE_SURROGATE.test(value)
    ? 'contains a lone UTF-16 surrogate, which has no UTF-8 encoding (Go would write U+FFFD instead)'
    : CONTROL_CHARACTER.test(value)
      ? 'contains a control character (Go templates, go-yaml and registries read it differently, or not at all)'
      : undefined;
  if (problem !== undefined) {
    throw new ValidationError({
      scope,
      property,
      // JSON.stringify escapes control characters and lone surrogates, so the shown value is visible and safe.
      value: value.length <= 80 && credentialShapeProblem(value) === undefined ? value : undefined,
      problem,
      fix: 'remove the invisible character (copy the value again from its source as plain text)',
    });
  }
}

/**
 * Refuses an `auths` key (registry) that the kubelet can never match, or that breaks the comma-separated registries
 * annotation: credentials in it (not echoed), invisible characters, a comma, whitespace, or an uppercase repository
 * path (repository names are lowercase by the distribution spec, and the kubelet compares paths case-sensitively).
 */
export function refuseUnmatchableRegistryKey(server: string, property: string, scope?: IConstruct): void {
  refuseCredentialShape(server, property, 'the registry host as it appears in image names, e.g. "ghcr.io"', scope);
  refuseInvisibleCharacters(server, property, scope);
  const withoutScheme = server.replace(/^https?:\/\//, '');
  const slash = withoutScheme.indexOf('/');
  const path = slash < 0 ? '' : withoutScheme.slice(slash);
  const problem = server.includes(',')
    ? 'contains ","; the registries annotation is comma-separated and no image name holds a comma, so the kubelet never matches it'
    : /\s/.test(server)
      ? 'contains whitespace, which no image name holds, so the kubelet never matches it'
      : path !== path.toLowerCase()
        ? 'has uppercase letters in its path; repository names are lowercase, and the kubelet compares paths case-sensitively, so it never matches'
        : undefined;
  if (problem !== undefined) {
    throw new ValidationError({
      scope,
      property,
      value: server,
      problem,
      fix: server.includes(',') ? 'give each registry as its own credentials entry'
        : /\s/.test(server) ? 'write the host as it appears in image names, e.g. "ghcr.io" or "registry.example.com:5000"'
          : `write "${server.slice(0, server.length - path.length)}${path.toLowerCase()}", as the path appears in image names`,
    });
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// C0 controls, DEL, C1 controls (NEL U+0085 included), and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/**
 * Refuses a value meant to hold a certificate (PEM, or base64 of PEM as kubeconfig's `*-data` fields) when it, or
 * its base64 decoding, holds a private key. Nothing of the value is echoed.
 */
export function refusePrivateKeyMaterial(value: string, property: string, scope?: IConstruct): void {
  const decoded = /^[A-Za-z0-9+/=\s]+$/.test(value) ? Buffer.from(value, 'base64').toString('latin1') : '';
  if (PRIVATE_KEY_PEM.test(value) || PRIVATE_KEY_PEM.test(decoded)) {
    throw credentialShapeError(value, property, 'holds a private key; only a public certificate belongs here',
      'the certificate (e.g. kubeconfig\'s certificate-authority-data), never a key', scope);
  }
}
