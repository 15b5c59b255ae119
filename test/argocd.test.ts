import { ApiObject, Chart, Testing } from 'cdk8s';
import { applyArgoCd, ARGOCD_SYNC_OPTIONS, ARGOCD_SYNC_WAVE, argoCdAnnotations, ArgoCdOptions, ArgoCdSyncOption } from '../src/argocd';
import { RegistryCredentials } from '../src/credentials/registry-credentials';
import { SecretValue } from '../src/credentials/secret-value';
import { TokenGenerator } from '../src/credentials/token-generator';
import { SealingKey, SealingScope, SealingSeed } from '../src/delivery/sealing';
import { SecretDelivery } from '../src/delivery/secret-delivery';
import { RegistrySecret } from '../src/registry-secret';
import { loadReferenceJson } from './helpers/reference';
import { loadSealedSecretVectors } from './helpers/unseal';

const ARGOCD_FACTS = loadReferenceJson('argocd', 'argocd-facts.json');
const VECTORS = loadSealedSecretVectors();
const SEALING_KEY = SealingKey.fromCertificate(VECTORS.testKey.certificatePem, {
  deterministicSeed: SealingSeed.fromString('argocd-test-seed-0123456789abcdefghij'),
});
const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

describe('Argo CD annotation keys and options', () => {
  test('the annotation keys Argo CD reads', () => {
    expect([ARGOCD_SYNC_WAVE, ARGOCD_SYNC_OPTIONS]).toEqual(['argocd.argoproj.io/sync-wave', 'argocd.argoproj.io/sync-options']);
    const facts = JSON.stringify(ARGOCD_FACTS);
    expect(facts).toContain(ARGOCD_SYNC_WAVE);
    expect(facts).toContain(ARGOCD_SYNC_OPTIONS);
  });

  test.each([
    [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE, SKIP_DRY_RUN],
    [ArgoCdSyncOption.PRUNE_DISABLED, 'Prune=false'],
    [ArgoCdSyncOption.DELETE_DISABLED, 'Delete=false'],
    [ArgoCdSyncOption.SERVER_SIDE_APPLY, 'ServerSideApply=true'],
    [ArgoCdSyncOption.PRUNE_LAST, 'PruneLast=true'],
    [ArgoCdSyncOption.of('Replace=true'), 'Replace=true'],
  ])('%# writes %s', (option, value) => {
    expect(option.value).toBe(value);
    expect(ARGOCD_FACTS.resourceAnnotations[ARGOCD_SYNC_OPTIONS].split(/[:,]\s*|\s+/)).toContain(value);
  });
});

describe('argoCdAnnotations', () => {
  test.each<[string, ArgoCdOptions | undefined, ArgoCdSyncOption[], { [key: string]: string }]>([
    ['the default wave', undefined, [], { [ARGOCD_SYNC_WAVE]: '-1' }],
    ['a given wave', { syncWave: 5 }, [], { [ARGOCD_SYNC_WAVE]: '5' }],
    ['wave 0 is kept, not replaced by the default', { syncWave: 0 }, [], { [ARGOCD_SYNC_WAVE]: '0' }],
    ['required options', undefined, [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE], { [ARGOCD_SYNC_WAVE]: '-1', [ARGOCD_SYNC_OPTIONS]: SKIP_DRY_RUN }],
    ['user options merged with required ones, sorted, without duplicates',
      { syncOptions: [ArgoCdSyncOption.PRUNE_DISABLED, ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE, ArgoCdSyncOption.of('Prune=false')] },
      [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE],
      { [ARGOCD_SYNC_WAVE]: '-1', [ARGOCD_SYNC_OPTIONS]: `Prune=false,${SKIP_DRY_RUN}` }],
    ['disabled: nothing at all', { disabled: true, syncWave: 3 }, [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE], {}],
  ])('%s', (_name, options, required, expected) => {
    expect(argoCdAnnotations(options, -1, required)).toEqual(expected);
  });

  test('applyArgoCd writes them onto an ApiObject, next to its other annotations', () => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'Obj', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { keep: 'me' } } });
    applyArgoCd(obj, { syncOptions: [ArgoCdSyncOption.SERVER_SIDE_APPLY] }, 2);
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({ keep: 'me', [ARGOCD_SYNC_WAVE]: '2', [ARGOCD_SYNC_OPTIONS]: 'ServerSideApply=true' });
  });
});

describe('Argo CD annotations of RegistrySecret', () => {
  const ecrHost = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
  const deliveries: Array<[string, () => RegistryCredentials[], SecretDelivery | undefined]> = [
    ['plain Secret', () => [RegistryCredentials.githubToken('octo', SecretValue.unsafePlainText('t'))], undefined],
    ['SealedSecret', () => [RegistryCredentials.githubToken('octo', SecretValue.unsafePlainText('t'))], SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY, scope: SealingScope.NAMESPACE_WIDE })],
    ['ExternalSecret', () => [RegistryCredentials.githubToken('octo', SecretValue.fromExternalSecret('k'))], SecretDelivery.externalSecret({ store: { name: 'vault' } })],
    ['ExternalSecret with a generator', () => [RegistryCredentials.fromTokenGenerator(ecrHost, TokenGenerator.ecr({ region: 'eu-west-1' }))], undefined],
  ];

  function synth(credentials: RegistryCredentials[], delivery: SecretDelivery | undefined, argoCd?: ArgoCdOptions): any[] {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'team-a' });
    new RegistrySecret(chart, 'Regcred', { credentials, delivery, argoCd });
    return Testing.synth(chart);
  }

  const argo = (o: any) => Object.fromEntries(Object.entries<string>(o.metadata.annotations ?? {}).filter(([k]) => k.startsWith('argocd.argoproj.io/')));

  test.each(deliveries)('%s: secrets at wave -1, generators at -2, SkipDryRunOnMissingResource on custom resources only', (_name, credentials, delivery) => {
    for (const object of synth(credentials(), delivery)) {
      const isCustomResource = object.apiVersion !== 'v1';
      const wave = object.kind === 'ECRAuthorizationToken' ? '-2' : '-1';
      const expected = isCustomResource ? { [ARGOCD_SYNC_WAVE]: wave, [ARGOCD_SYNC_OPTIONS]: SKIP_DRY_RUN } : { [ARGOCD_SYNC_WAVE]: wave };
      expect(argo(object)).toEqual(expected);
    }
  });

  test.each(deliveries)('%s: a given wave moves the generator along, one wave earlier', (_name, credentials, delivery) => {
    const waves = synth(credentials(), delivery, { syncWave: 3 }).map(o => [o.kind, o.metadata.annotations[ARGOCD_SYNC_WAVE]]);
    expect(waves).toEqual(waves.map(([kind]) => [kind, kind === 'ECRAuthorizationToken' ? '2' : '3']));
  });

  test.each(deliveries)('%s: extra options keep the required one; disabled writes none', (_name, credentials, delivery) => {
    for (const object of synth(credentials(), delivery, { syncOptions: [ArgoCdSyncOption.PRUNE_DISABLED] })) {
      expect(argo(object)[ARGOCD_SYNC_OPTIONS]).toBe(object.apiVersion === 'v1' ? 'Prune=false' : `Prune=false,${SKIP_DRY_RUN}`);
    }
    for (const object of synth(credentials(), delivery, { disabled: true })) {
      expect(argo(object)).toEqual({});
    }
  });

  test('the Secret a controller makes never inherits the Argo CD annotations (template metadata is set)', () => {
    for (const [, credentials, delivery] of deliveries.slice(1)) {
      const objects = synth(credentials(), delivery, { syncOptions: [ArgoCdSyncOption.PRUNE_DISABLED] });
      for (const object of objects.filter(o => o.spec?.target ?? o.spec?.template)) {
        const template = object.spec.target?.template ?? object.spec.template;
        expect(template.metadata).toBeDefined();
        expect(Object.keys(template.metadata.annotations ?? {}).filter(k => k.startsWith('argocd.argoproj.io/'))).toEqual([]);
      }
    }
  });
});
