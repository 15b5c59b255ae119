// The platform the benchmark synthesizes, as plain data: organizations, their projects and environments, and the fake
// credentials of each. Both variants (our constructs in platform.ts, raw cdk8s ApiObjects in raw.ts) read this same
// inventory, which is built before the clock starts, so they are timed on the same input.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** How many organizations, projects per organization and environments per project. */
export interface PlatformSize {
  readonly orgs: number;
  readonly projects: number;
  readonly envs: number;
}

/** The issue's example platform: 200 organizations × 50 projects × 3 environments. */
export const DEFAULT_SIZE: PlatformSize = { orgs: 200, projects: 50, envs: 3 };

/** The registry an organization pulls its images from; each maps to one `RegistryCredentials` factory. */
export type RegistryKind = 'ghcr' | 'quay' | 'dockerhub' | 'private';

/**
 * How the objects are split into charts (and so into files): a chart per organization, as a platform team would
 * write it, or one chart for everything. cdk8s validates the whole app again for every chart it writes, so the
 * chart count multiplies the synth cost of every construct.
 */
export type Layout = 'chart-per-org' | 'one-chart';

/** How an organization's pull secret is replicated into its data-plane namespaces. */
export type ReplicationKind = 'mittwald' | 'reflector' | 'external-secrets';

/** How an environment's pull secret reaches the cluster. */
export type DeliveryKind = 'plain' | 'sealed' | 'external';

export interface EnvSpec {
  readonly name: string;
  readonly delivery: DeliveryKind;
  readonly username: string;
  /** Fake; sealed or written in plain text depending on `delivery`. */
  readonly password: string;
  /** The store key of an external secret. */
  readonly storeKey: string;
}

export interface ProjectSpec {
  readonly name: string;
  readonly envs: EnvSpec[];
}

export interface OrgSpec {
  readonly name: string;
  readonly registry: RegistryKind;
  readonly replication: ReplicationKind;
  /** The user name of the organization-wide pull credential (a Quay robot for `quay`). */
  readonly pullUsername: string;
  readonly projects: ProjectSpec[];
}

export interface Inventory {
  readonly size: PlatformSize;
  readonly orgs: OrgSpec[];
}

export const ENV_NAMES = ['development', 'staging', 'production'];
export const REGISTRY_KINDS: RegistryKind[] = ['ghcr', 'quay', 'dockerhub', 'private'];
export const REPLICATION_KINDS: ReplicationKind[] = ['mittwald', 'reflector', 'external-secrets'];
export const DELIVERY_KINDS: DeliveryKind[] = ['plain', 'sealed', 'external'];

/** Names shared by both variants. */
export const NAMES = {
  sourceNamespace: 'choreo-system',
  store: 'platform-secrets',
  pushSecret: 'registry-push',
  envPullSecret: 'registry-pull',
  privateRegistry: 'registry.example.com',
  organizationLabel: 'openchoreo.dev/organization',
  /** Fake kubeconfig values of the DataPlanes (base64 PEM, as the CRD wants). */
  fakeCert: Buffer.from('-----BEGIN CERTIFICATE-----\nFAKE-BENCH\n-----END CERTIFICATE-----\n').toString('base64'),
  fakeKey: Buffer.from('-----BEGIN EC PRIVATE KEY-----\nFAKE-BENCH\n-----END EC PRIVATE KEY-----\n').toString('base64'),
  /** Bench only: a seed in source code is never acceptable for real sealing. */
  sealingSeed: 'BENCH-ONLY-deterministic-seed-never-use-for-real-secrets',
};

/** The throwaway test certificate of the reference data (its private key is public: never for real secrets). */
export function testCertificatePem(): string {
  const file = path.join(__dirname, '..', 'test', 'fixtures', 'reference', 'secrets', 'sealed-secrets-test-vectors.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).testKey.certificatePem;
}

export function tenantNamespace(org: string): string {
  return `${org}-tenant`;
}

export function orgPullSecretName(org: string): string {
  return `${org}-pull`;
}

export function envName(index: number): string {
  return index < ENV_NAMES.length ? ENV_NAMES[index] : `env-${index}`;
}

/** The `auths` key of an organization's registry (also the host in image names, `docker.io` for Docker Hub). */
export function registryHost(kind: RegistryKind): string {
  switch (kind) {
    case 'ghcr': return 'ghcr.io';
    case 'quay': return 'quay.io';
    case 'dockerhub': return 'docker.io';
    default: return NAMES.privateRegistry;
  }
}

/** Builds the inventory deterministically: the same size always gives the same names and values. */
export function buildInventory(size: PlatformSize): Inventory {
  let envIndex = 0;
  const orgs = range(size.orgs).map((o): OrgSpec => {
    const name = `org-${pad(o, 3)}`;
    const registry = REGISTRY_KINDS[o % REGISTRY_KINDS.length];
    const projects = range(size.projects).map((p): ProjectSpec => {
      const project = `project-${pad(p, 3)}`;
      const envs = range(size.envs).map((e): EnvSpec => {
        const env = envName(e);
        const delivery = DELIVERY_KINDS[envIndex++ % DELIVERY_KINDS.length];
        return {
          name: env,
          delivery,
          username: envUsername(registry, name, project, env),
          password: fakePassword(`${name}/${project}/${env}`),
          storeKey: `registries/${name}/${project}/${env}`,
        };
      });
      return { name: project, envs };
    });
    return {
      name,
      registry,
      replication: REPLICATION_KINDS[o % REPLICATION_KINDS.length],
      pullUsername: registry === 'quay' ? `${name}+puller` : `${name}-puller`,
      projects,
    };
  });
  return { size, orgs };
}

/** How many registry secrets the inventory describes, and how many of them are sealed. */
export function countSecrets(inventory: Inventory): { registrySecrets: number; sealedEnvSecrets: number } {
  const envs = inventory.orgs.flatMap(org => org.projects.flatMap(project => project.envs));
  // Per organization: the push secret and the replicated pull secret.
  return { registrySecrets: envs.length + 2 * inventory.orgs.length, sealedEnvSecrets: envs.filter(env => env.delivery === 'sealed').length };
}

/** The same platform with `fraction` of the organizations (at least one); projects and environments unchanged. */
export function scaled(size: PlatformSize, fraction: number): PlatformSize {
  return { ...size, orgs: Math.max(1, Math.round(size.orgs * fraction)) };
}

// Quay robot names are "organization+robot", the robot part without dashes.
function envUsername(registry: RegistryKind, org: string, project: string, env: string): string {
  return registry === 'quay' ? `${org}+${`${project}_${env}`.replace(/-/g, '_')}` : `${project}-${env}-puller`;
}

function fakePassword(seed: string): string {
  return `FAKE-${createHash('sha256').update(seed).digest('base64url').slice(0, 32)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
