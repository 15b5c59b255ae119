import { IConstruct } from 'constructs';
import { RegistryCredentials } from '../credentials/registry-credentials';
import type { TypedObject } from '../typed-objects';

/** Everything a delivery needs to render one registry secret (internal). */
export interface DeliveryRequest {
  /** The construct that asked for the secret, named in errors; none for a template rendered outside any construct. */
  readonly scope?: IConstruct;
  readonly name: string;
  readonly namespace?: string;
  readonly credentials: RegistryCredentials[];
  /** Labels and annotations for the resulting Secret. */
  readonly secretLabels: { [key: string]: string };
  readonly secretAnnotations: { [key: string]: string };
}

/** The objects a delivery renders (internal): each as its typed class and props, created by the construct that asked. */
export interface RenderedDelivery {
  readonly main: TypedObject;
  /** Objects the main one depends on (token generators), synced one wave earlier. */
  readonly dependencies: TypedObject[];
}

/** `{}` → `undefined`, so empty label and annotation maps are left out of the YAML. */
export function emptyToUndefined<T extends object>(map: T): T | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}
