import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { clusters } from '../../examples/12-many-clusters';
import { KubernetesReplicatorApplication } from '../../src';

/** Runs the real `kubectl kustomize` over every manifest file in `dir`; returns its error output, or '' on success. */
function kustomize(dir: string): string {
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml')).sort();
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), YAML.stringify({ resources: files }));
  try {
    execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
}

function withOutdir<T>(use: (outdir: string) => T): T {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'many-clusters-'));
  try {
    return use(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('example 09: one App per cluster', () => {
  test('writes one folder per cluster, and kubectl kustomize accepts each folder', () => {
    withOutdir(outdir => {
      clusters(outdir).forEach(app => app.synth());
      expect(fs.readdirSync(outdir).sort()).toEqual(['control-plane', 'data-plane-eu', 'data-plane-us', 'konflux']);
      for (const cluster of fs.readdirSync(outdir)) {
        expect([cluster, kustomize(path.join(outdir, cluster))]).toEqual([cluster, '']);
      }
    });
  });

  test('exactly one replicator install in each data-plane cluster, none elsewhere; the same secret name in both', () => {
    const apps = clusters('/nonexistent-never-written');
    const objects = apps.map(app => YAML.parseAllDocuments(app.synthYaml()).map(doc => doc.toJS()));
    const replicators = objects.map(list => list.filter(o => o.kind === 'Application' && o.metadata.name === KubernetesReplicatorApplication.CHART_NAME).length);
    expect(replicators).toEqual([1, 1, 0, 0]);
    const pullSecrets = objects.map(list => list.filter(o => o.kind === 'ExternalSecret' && o.metadata.name === 'registry-pull').length);
    expect(pullSecrets).toEqual([1, 1, 0, 0]);
  });

  test('the control-plane DataPlanes name the data-plane clusters\' secrets (a reference across Apps)', () => {
    const [, , controlPlane] = clusters('/nonexistent-never-written');
    const dataPlanes = YAML.parseAllDocuments(controlPlane.synthYaml()).map(doc => doc.toJS()).filter(o => o.kind === 'DataPlane');
    expect(dataPlanes.map(o => [o.metadata.name, o.spec.registry.secretRef])).toEqual([['eu-dataplane', 'registry-pull'], ['us-dataplane', 'registry-pull']]);
  });

  test('the same platform in one App (the seam this layout avoids): kustomize refuses it, and so does synth, first', () => {
    withOutdir(outdir => {
      const app = new App({ outdir });
      for (const env of ['dev', 'stage', 'prod']) {
        new KubernetesReplicatorApplication(new Chart(app, env), 'Replicator');
      }
      expect(() => app.synth()).toThrow(/is also written by dev\/Replicator\/Resource/);
      expect(fs.readdirSync(outdir)).toEqual([]);
      // What kustomize says when the three Applications reach it anyway.
      const raw = fs.mkdtempSync(path.join(outdir, 'raw-'));
      app.charts.forEach(chart => fs.writeFileSync(path.join(raw, `${chart.node.id}.k8s.yaml`), YAML.stringify(chart.node.findAll()
        .filter((c): c is KubernetesReplicatorApplication => c instanceof KubernetesReplicatorApplication)[0].apiObject.toJson())));
      expect(kustomize(raw)).toMatch(/already registered id|may not add resource with an already registered id/);
    });
  });
});
