// Whether a value given for a field that is not secret looks like it carries a credential, by its shape alone.
// Imports nothing, so that ValidationError can redact such values in every message without an import cycle;
// src/values/credential-shape.ts builds the refusals on it.

/** Why a value looks like a credential, or undefined. The description never quotes the value. */
export function credentialShapeProblem(value: string): string | undefined {
  if (PRIVATE_KEY_PEM.test(value)) {
    return 'holds a private key';
  }
  if (hasUserinfo(value)) {
    return 'holds credentials before "@" ("user:password@host")';
  }
  if (hasTokenParameter(value)) {
    return 'holds a token-like query or fragment parameter';
  }
  if (KNOWN_TOKEN.test(value)) {
    return 'holds what looks like an access token';
  }
  return undefined;
}


export const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/;

// GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), GitLab (glpat-), Docker Hub (dckr_pat_), Slack (xox?-),
// AWS access key ids, Google API keys, and three-part base64url JWTs.
export const KNOWN_TOKEN = new RegExp([
  '\\bgh[pousr]_[A-Za-z0-9]{20,}',
  '\\bgithub_pat_[A-Za-z0-9_]{20,}',
  '\\bglpat-[A-Za-z0-9_-]{20,}',
  '\\bdckr_pat_[A-Za-z0-9_-]{20,}',
  '\\bxox[abposr]-[A-Za-z0-9-]{10,}',
  '\\b(AKIA|ASIA)[0-9A-Z]{16}\\b',
  '\\bAIza[0-9A-Za-z_-]{35}',
  '\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}',
].join('|'));

const TOKEN_PARAMETER_NAME = /(token|secret|passw|pwd|pass|auth|key|sig|credential|session|bearer|code)/i;

function hasTokenParameter(value: string): boolean {
  const start = value.search(/[?#]/);
  if (start < 0) {
    return false;
  }
  return value.slice(start + 1).split(/[&;#?]/)
    .some(pair => {
      const equals = pair.indexOf('=');
      return equals > 0 && TOKEN_PARAMETER_NAME.test(safeDecode(pair.slice(0, equals)));
    });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// A digest after "@" (`nginx@sha256:…`, `ghcr.io/a/b@sha256:…`) is not userinfo.
const DIGEST_AFTER_AT = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

/**
 * Whether the authority part (after an optional, possibly misspelt `scheme://` and before the first `/`, `?` or
 * `#`) holds an "@". With a scheme any "@" there is userinfo; without one, "name:secret@host" and "name@host.tld"
 * are, while "image@sha256:…" and "image:tag@sha256:…" are digests and "image@latest" is only malformed.
 */
function hasUserinfo(value: string): boolean {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/+/.exec(value);
  const rest = scheme ? value.slice(scheme[0].length) : value.replace(/^\/\//, '');
  const authority = rest.split(/[/?#]/, 1)[0];
  const at = authority.lastIndexOf('@');
  if (at < 0) {
    return false;
  }
  if (scheme !== null) {
    return true;
  }
  const before = authority.slice(0, at);
  const after = authority.slice(at + 1);
  // "name@latest" is a malformed image, not userinfo: only a password or a host after "@" makes it userinfo.
  return !DIGEST_AFTER_AT.test(after) && (before.includes(':') || /[.:]/.test(after) || after === 'localhost');
}
