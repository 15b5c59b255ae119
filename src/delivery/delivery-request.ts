import { IConstruct } from 'constructs';
import { RegistryCredentials } from '../credentials/registry-credentials';

/** Everything a delivery needs to render one registry secret (internal). */
export interface DeliveryRequest {
  readonly scope: IConstruct;
  readonly name: string;
  readonly namespace?: string;
  readonly credentials: RegistryCredentials[];
  /** Labels and annotations for the resulting Secret. */
  readonly secretLabels: { [key: string]: string };
  readonly secretAnnotations: { [key: string]: string };
}

/** The objects a delivery renders (internal): the main object first. */
export interface RenderedDelivery {
  readonly main: { [key: string]: any };
  /** Objects the main one depends on (token generators), with their sync wave offset. */
  readonly dependencies: Array<{ [key: string]: any }>;
}

/** `{}` → `undefined`, so empty label and annotation maps are left out of the YAML. */
export function emptyToUndefined<T extends object>(map: T): T | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}
