import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { IMPORTED_CRDS, IMPORTS_DIR, renderImports } from '../scripts/import-crds';
import * as dataPlaneV02 from '../src/imports/openchoreo-dataplane-v0-2-push';
import * as dataPlaneV1 from '../src/imports/openchoreo-dataplane-v1';
import { DataPlaneV02Push, DataPlaneV1, patchedAsWritten } from '../src/typed-objects';

describe('src/imports/', () => {
  test('is what `npx projen import-crds` writes from the CRD files (if not: run it and commit the result)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-registries-imports-'));
    try {
      const written = renderImports(outdir);
      expect(fs.readdirSync(IMPORTS_DIR).sort()).toEqual(written);
      for (const file of written) {
        expect({ file, text: fs.readFileSync(path.join(IMPORTS_DIR, file), 'utf8') })
          .toEqual({ file, text: fs.readFileSync(path.join(outdir, file), 'utf8') });
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('every CRD file of the table exists and each module has its own name', () => {
    const modules = IMPORTED_CRDS.map(crd => crd.module);
    expect(new Set(modules).size).toBe(modules.length);
    for (const crd of IMPORTED_CRDS) {
      expect(fs.existsSync(path.join(__dirname, 'fixtures', 'reference', crd.file))).toBe(true);
    }
  });
});

describe('typed classes apply JSON patches to the YAML they write', () => {
  const credentials = { apiServerUrl: 'https://10.0.0.1:6443', caCert: 'Y2E=', clientCert: 'Y2VydA==', clientKey: 'a2V5' };
  const props = {
    metadata: { name: 'default' },
    spec: {
      registry: {},
      kubernetesCluster: { name: 'kind', credentials },
      gateway: { publicVirtualHost: 'api.example.com', organizationVirtualHost: 'internal.example.com' },
    },
  };

  function synth(make: (chart: Chart) => ApiObject, ...patches: JsonPatch[]): any {
    const chart = new Chart(new App(), 'c');
    make(chart).addJsonPatch(...patches);
    return Testing.synth(chart)[0];
  }

  test('a patch addresses the CRD spelling (apiServerURL), as the YAML shows it', () => {
    const object = synth(chart => new DataPlaneV02Push(chart, 'DataPlane', props),
      JsonPatch.replace('/spec/kubernetesCluster/credentials/apiServerURL', 'https://10.0.0.2:6443'));
    expect(object.spec.kubernetesCluster.credentials).toEqual({ ...credentials, apiServerUrl: undefined, apiServerURL: 'https://10.0.0.2:6443' });
  });

  test('a field a patch adds that the class does not know is kept, for the synth-time checks to see', () => {
    const object = synth(chart => new DataPlaneV02Push(chart, 'DataPlane', props), JsonPatch.add('/spec/registry/prefix', 'docker.io/acme'));
    expect(object.spec.registry).toEqual({ prefix: 'docker.io/acme' });
  });

  test('the generated class alone would apply the patch to the TypeScript names and drop the unknown field', () => {
    const renamed = synth(chart => new dataPlaneV02.DataPlane(chart, 'DataPlane', props),
      JsonPatch.replace('/spec/kubernetesCluster/credentials/apiServerURL', 'https://10.0.0.2:6443'));
    expect(renamed.spec.kubernetesCluster.credentials.apiServerURL).toBe('https://10.0.0.1:6443');
    const object = synth(chart => new dataPlaneV02.DataPlane(chart, 'DataPlane', props), JsonPatch.add('/spec/registry/prefix', 'docker.io/acme'));
    expect(object.spec.registry).toEqual({});
  });

  test('the object is still an instance of the generated class, and patchedAsWritten leaves the class itself alone', () => {
    const chart = new Chart(new App(), 'c');
    const object = new DataPlaneV1(chart, 'DataPlane', { metadata: { name: 'default' }, spec: { clusterAgent: { clientCa: { value: 'pem' } } } });
    expect(object).toBeInstanceOf(dataPlaneV1.DataPlane);
    expect(patchedAsWritten(dataPlaneV02.DataPlane)).not.toBe(dataPlaneV02.DataPlane);
    expect(Testing.synth(chart)[0].spec).toEqual({ clusterAgent: { clientCA: { value: 'pem' } } });
  });
});
