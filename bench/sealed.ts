// Precomputes the sealed values the raw variant embeds: what a team without the library would get from running
// `kubeseal --raw` once per secret and pasting the output into its code. Runs before (and outside) the measurements.
import { SealingKey, SealingScope, SealingSeed } from '../src';
import { authsKey, dataPlaneNamespace, dockerConfigJson, SealedCiphertexts } from './raw';
import { Inventory, NAMES } from './spec';

/**
 * Seals every sealed pull secret of the inventory with the same key and seed as our variant, so that the raw variant
 * can write the same bytes. The plaintext is the raw variant's own docker config: if it differed from ours, the
 * ciphertext would too, and same_yaml would say so.
 */
export function sealCiphertexts(inventory: Inventory, certificatePem: string): SealedCiphertexts {
  const key = SealingKey.fromCertificate(certificatePem, { deterministicSeed: SealingSeed.fromString(NAMES.sealingSeed) });
  const sealed: SealedCiphertexts = new Map();
  for (const org of inventory.orgs) {
    for (const project of org.projects) {
      for (const env of project.envs.filter(each => each.delivery === 'sealed')) {
        const namespace = dataPlaneNamespace(org.name, project.name, env.name);
        const plaintext = dockerConfigJson(authsKey(org.registry), env.username, env.password);
        sealed.set(`${namespace}/${NAMES.envPullSecret}`, key.seal(plaintext, { scope: SealingScope.STRICT, namespace, name: NAMES.envPullSecret }));
      }
    }
  }
  return sealed;
}
