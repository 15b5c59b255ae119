import { App } from 'cdk8s';
import { EXAMPLES } from './index';

// Render everything in memory first: if any example is invalid, synth fails before a single file is written.
const app = new App();
for (const example of EXAMPLES) {
  example.build(app);
}
app.synthYaml();
app.synth();
