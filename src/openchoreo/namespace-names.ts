import { createHash } from 'crypto';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkArgs } from '../props-check';

const HASH_LENGTH = 8;
const ASCII = /^[\u0000-\u007f]*$/;
const NAMESPACE_SAFE = /^[a-z0-9-]*$/;
const SEPARATOR = '-';

/**
 * Names that OpenChoreo derives for the namespaces it creates, so that a pull secret can be replicated into them
 * (e.g. `replicate-to: "dp-.*"`) or addressed by name before OpenChoreo creates them.
 *
 * @see https://github.com/openchoreo/openchoreo/blob/main/internal/dataplane/kubernetes/name.go
 */
export class OpenChoreoNames {
  /** The length limit OpenChoreo uses for namespace names. */
  public static readonly NAMESPACE_NAME_LIMIT = 63;

  /** The limit `GenerateK8sName` uses when no other limit is given (a DNS-1123 subdomain). */
  public static readonly DEFAULT_NAME_LIMIT = 253;

  /**
   * OpenChoreo's name generator (`GenerateK8sNameWithLengthLimit`).
   *
   * Each part is lower-cased, every character that is not a Unicode letter, a Unicode number, `-` or `.` becomes
   * `-`, and leading/trailing `-` and `.` are trimmed. The length budget `limit - 8 - parts.length` is split evenly,
   * the remainder going to the first parts, and each part is cut to its share (in UTF-8 bytes, like Go). The parts
   * are joined by `-`, followed by `-` and the first 8 hex digits of the SHA-256 of the ORIGINAL parts joined by `-`;
   * finally leading and trailing characters that are neither letters nor numbers are trimmed.
   *
   * Dots and non-ASCII letters survive, so the result is not always a valid DNS-1123 label. Where a cut splits a
   * multi-byte character, Go keeps the partial bytes; this returns U+FFFD for them.
   *
   * @param limit the maximum length, e.g. 63 for namespaces
   * @param parts the name parts, e.g. `['dp', org, project, environment]`
   * @throws ValidationError when there are no parts or the limit leaves no room for the separators and the hash
   */
  public static generate(limit: number, parts: string[]): string {
    checkArgs('OpenChoreoNames.generate', [limit, parts]);
    const minimum = HASH_LENGTH + parts.length;
    if (parts.length === 0 || !Number.isInteger(limit) || limit < minimum) {
      throw new ValidationError({
        property: parts.length === 0 ? 'parts' : 'limit',
        value: String(limit),
        problem: parts.length === 0
          ? 'at least one name part is needed'
          : `the limit must be a whole number of at least ${minimum} (8 hash characters plus one separator per part)`,
        fix: parts.length === 0 ? 'pass the parts to combine, e.g. ["dp", "acme", "web", "dev"]' : `use a limit of ${minimum} or more, e.g. 63`,
      });
    }
    const budget = limit - minimum;
    const share = Math.floor(budget / parts.length);
    const extra = budget % parts.length;
    const cut = parts.map((part, index) => truncateUtf8(sanitizePart(part), share + (index < extra ? 1 : 0)));
    const hash = createHash('sha256').update(parts.join(SEPARATOR), 'utf8').digest('hex').slice(0, HASH_LENGTH);
    return trimNonAlphanumeric(`${cut.join(SEPARATOR)}${SEPARATOR}${hash}`);
  }

  /**
   * The data-plane namespace OpenChoreo creates for a project's environment:
   * `generate(63, ['dp', organization, project, environment])`, e.g. `dp-default-default-development-f8e58905`.
   * Unchanged from 2025-06 to 2026-08; newer releases pass the control-plane namespace as `organization`.
   *
   * @param organization the organization (or control-plane namespace) name
   * @param project the project name
   * @param environment the environment name
   * @throws ValidationError when a part is empty, or keeps characters (dots, non-ASCII letters) that make the
   *   namespace name invalid, so OpenChoreo could not create it
   */
  public static dataPlaneNamespace(organization: string, project: string, environment: string): string {
    checkArgs('OpenChoreoNames.dataPlaneNamespace', [organization, project, environment]);
    const parts: { [property: string]: string } = { organization, project, environment };
    for (const [property, value] of Object.entries(parts)) {
      requireNamespaceSafe(property, value);
    }
    return OpenChoreoNames.generate(OpenChoreoNames.NAMESPACE_NAME_LIMIT, ['dp', organization, project, environment]);
  }

  /**
   * The build namespace of an organization, `choreo-ci-<organization>`: where OpenChoreo ran builds and looked for
   * image push secrets until 2025-07-23 (later `openchoreo-ci-<organization>`, then `workflows-<namespace>`).
   *
   * @param organization the organization name
   * @throws ValidationError when the result is not a valid namespace name
   */
  public static buildNamespace(organization: string): string {
    checkArgs('OpenChoreoNames.buildNamespace', [organization]);
    const name = `choreo-ci-${organization}`;
    const problem = KubernetesNames.checkDns1123Label(name);
    if (problem) {
      throw new ValidationError({
        property: 'organization',
        value: organization,
        problem: `the build namespace "${name}" ${problem}`,
        fix: 'use an organization name of lowercase letters, digits and "-", at most 53 characters',
      });
    }
    return name;
  }
}

function sanitizePart(part: string): string {
  // ASCII parts (nearly all) map in one pass; the per-character Unicode path below gives the same result for them.
  if (ASCII.test(part)) {
    return part.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  }
  const mapped = Array.from(part, character => {
    const lower = lowerCaseLikeGo(character);
    return isLetterOrNumber(lower) || lower === '-' || lower === '.' ? lower : '-';
  }).join('');
  return mapped.replace(/^[-.]+|[-.]+$/g, '');
}

/**
 * Go lower-cases one code point at a time with simple case mapping; JavaScript may expand a code point (`İ` becomes
 * `i` plus a combining dot), so only the first code point of the JavaScript result is kept.
 */
function lowerCaseLikeGo(character: string): string {
  return String.fromCodePoint(character.toLowerCase().codePointAt(0)!);
}

function isLetterOrNumber(character: string): boolean {
  return /^[\p{L}\p{N}]$/u.test(character);
}

function truncateUtf8(text: string, maxBytes: number): string {
  return Buffer.byteLength(text, 'utf8') > maxBytes ? Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8') : text;
}

function trimNonAlphanumeric(name: string): string {
  return name.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** OpenChoreo keeps dots and non-ASCII letters, which a namespace name cannot contain. */
function requireNamespaceSafe(property: string, value: string): void {
  const kept = sanitizePart(value);
  const unsafe = NAMESPACE_SAFE.test(kept) ? [] : Array.from(kept).filter(character => !/[a-z0-9-]/.test(character));
  if (value === '' || unsafe.length > 0) {
    throw new ValidationError({
      property,
      value,
      problem: value === ''
        ? 'must not be empty'
        : `OpenChoreo keeps ${[...new Set(unsafe)].map(c => `"${c}"`).join(', ')} in the data-plane namespace name, which makes it an invalid namespace name`,
      fix: 'use lowercase letters, digits and "-" only',
    });
  }
}
