// Times the read-only questions a platform asks at its full size: which pull-secret credentials the kubelet offers
// for each image (KubeletKeyring), and which namespaces receive each replicated pull secret (preview).
import { App, Chart } from 'cdk8s';
import {
  DockerConfig, KubeletKeyring, NamespaceInfo, NamespaceSelection, OpenChoreoNames, RegistryCredentials, ReplicatedPullSecret,
  SecretDelivery, SecretValue,
} from '../src';
import { authsKey } from './raw';
import { buildInventory, Inventory, NAMES, OrgSpec, registryHost } from './spec';

export interface LookupTimings {
  /** Pods resolved: one keyring per data-plane namespace (its own pull secret + the organization's), two images each. */
  readonly namespaceLookups: number;
  readonly namespaceLookupsMs: number;
  /** One keyring of every organization's pull secret, asked for every project image: images × secrets pairs. */
  readonly wideImages: number;
  readonly wideSecrets: number;
  readonly wideLookupsMs: number;
  /** Every replicated pull secret previewed over every data-plane namespace: namespaces × patterns checks. */
  readonly previewSecrets: number;
  readonly previewNamespaces: number;
  readonly previewMs: number;
  /** Whether every lookup and preview gave the expected answer. */
  readonly correct: boolean;
}

/** Runs the lookups and previews over the whole inventory (the setup is not timed). */
export function timeLookups(inventory: Inventory): LookupTimings {
  const namespaces = dataPlaneNamespaces(inventory);
  const namespaceResult = timeNamespaceLookups(inventory);
  const wideResult = timeWideLookups(inventory);
  const previewResult = timePreviews(inventory, namespaces);
  return {
    namespaceLookups: namespaceResult.lookups,
    namespaceLookupsMs: namespaceResult.ms,
    wideImages: wideResult.images,
    wideSecrets: wideResult.secrets,
    wideLookupsMs: wideResult.ms,
    previewSecrets: inventory.orgs.length,
    previewNamespaces: namespaces.length,
    previewMs: previewResult.ms,
    correct: namespaceResult.correct && wideResult.correct && previewResult.correct,
  };
}

/** The image a project's workload pulls, as written in its pod spec. */
export function projectImage(org: OrgSpec, project: string): string {
  const repository = `${org.name}/${project}:1.0`;
  return org.registry === 'dockerhub' ? repository : `${registryHost(org.registry)}/${repository}`;
}

const PUBLIC_IMAGE = 'nginx:1.25';

function timeNamespaceLookups(inventory: Inventory): { lookups: number; ms: number; correct: boolean } {
  const pods = inventory.orgs.flatMap(org => {
    const orgConfig = DockerConfig.empty().withBasicAuth(authsKey(org.registry), org.pullUsername, 'placeholder');
    return org.projects.flatMap(project => project.envs.map(env => ({
      configs: [DockerConfig.empty().withBasicAuth(authsKey(org.registry), env.username, env.password), orgConfig],
      image: projectImage(org, project.name),
      expected: authsKey(org.registry),
      dockerHub: org.registry === 'dockerhub',
    })));
  });
  let correct = true;
  const ms = timed(() => {
    for (const pod of pods) {
      const keyring = new KubeletKeyring(pod.configs);
      const own = keyring.lookup(pod.image);
      // nginx is a Docker Hub image: only a Docker Hub key is offered for it.
      const publicImage = keyring.lookup(PUBLIC_IMAGE);
      correct = correct && own.length === 2 && own[0] === pod.expected && publicImage.length === (pod.dockerHub ? 2 : 0);
    }
  });
  return { lookups: pods.length * 2, ms, correct };
}

function timeWideLookups(inventory: Inventory): { images: number; secrets: number; ms: number; correct: boolean } {
  const configs = inventory.orgs.map(org => DockerConfig.empty().withBasicAuth(authsKey(org.registry), org.pullUsername, 'placeholder'));
  const images = inventory.orgs.flatMap(org => org.projects.map(project => ({
    image: projectImage(org, project.name),
    expected: inventory.orgs.filter(other => other.registry === org.registry).length,
  })));
  let correct = true;
  const ms = timed(() => {
    const keyring = new KubeletKeyring(configs);
    for (const { image, expected } of images) {
      correct = correct && keyring.lookup(image).length === expected;
    }
  });
  return { images: images.length, secrets: configs.length, ms, correct };
}

function timePreviews(inventory: Inventory, namespaces: NamespaceInfo[]): { ms: number; correct: boolean } {
  const chart = new Chart(new App(), 'previews');
  const secrets = inventory.orgs.map(org => ({ org, secret: replicatedPullSecret(chart, org) }));
  const expected = inventory.size.projects * inventory.size.envs;
  let correct = true;
  const ms = timed(() => {
    for (const { org, secret } of secrets) {
      const receivers = secret.preview(namespaces);
      correct = correct && receivers.length === expected && receivers.every(name => name.startsWith(`dp-${org.name}-`));
    }
  });
  return { ms, correct };
}

/** The organization's pull secret with the same targets as in platform.ts. */
function replicatedPullSecret(chart: Chart, org: OrgSpec): ReplicatedPullSecret {
  const pattern = `dp-${org.name}-.*`;
  const targets = org.replication === 'mittwald' ? NamespaceSelection.mittwaldReplicateTo(pattern)
    : org.replication === 'reflector' ? NamespaceSelection.reflectorAuto({ allowedNamespaces: pattern, autoNamespaces: pattern })
      : NamespaceSelection.labelSelectors([`${NAMES.organizationLabel}=${org.name}`]);
  return new ReplicatedPullSecret(chart, org.name, {
    name: `${org.name}-pull`,
    credentials: [RegistryCredentials.basic(NAMES.privateRegistry, org.pullUsername, SecretValue.fromExternalSecret(`registries/${org.name}/pull`))],
    delivery: SecretDelivery.externalSecret({ store: { name: NAMES.store } }),
    targets,
  });
}

/** Every data-plane namespace of the platform, labelled with its organization, plus the system namespaces. */
function dataPlaneNamespaces(inventory: Inventory): NamespaceInfo[] {
  const system = ['kube-system', 'kube-public', 'default', NAMES.sourceNamespace].map(name => ({ name }));
  return [...system, ...inventory.orgs.flatMap(org => org.projects.flatMap(project => project.envs.map(env => ({
    name: OpenChoreoNames.dataPlaneNamespace(org.name, project.name, env.name),
    labels: { [NAMES.organizationLabel]: org.name },
  }))))];
}

function timed(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Child-process entry: `lookups.js <orgs> <projects> <envs>`, prints JSON. */
function main(argv: string[]): void {
  const [orgs, projects, envs] = argv.map(Number);
  process.stdout.write(`${JSON.stringify(timeLookups(buildInventory({ orgs, projects, envs })))}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2));
}
