import { appsOf, EXAMPLES } from './index';

// Each example is its own cluster (or clusters): one App each, all writing into the output folder, the multi-cluster
// example into one sub-folder per cluster. Render everything in memory first: if any example is invalid, synth fails
// before a single file is written.
const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const apps = EXAMPLES.flatMap(example => appsOf(example, outdir));
for (const app of apps) {
  app.synthYaml();
}
for (const app of apps) {
  app.synth();
}
