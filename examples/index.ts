import { App } from 'cdk8s';
import * as quickstart from './00-quickstart';

/** One example scenario: a file in examples/ that adds its charts to an app. */
export interface Example {
  readonly name: string;
  readonly build: (app: App) => void;
}

/** Every example, in the order `cdk8s synth` builds them. */
export const EXAMPLES: Example[] = [
  { name: '00-quickstart', build: quickstart.build },
];
