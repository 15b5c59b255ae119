import { ApiObject } from 'cdk8s';

/** Argo CD annotation keys the constructs write. */
export const ARGOCD_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** @see ARGOCD_SYNC_WAVE */
export const ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * One Argo CD sync option, written to the `argocd.argoproj.io/sync-options` annotation.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/
 */
export class ArgoCdSyncOption {
  /** Sync a custom resource even when its CRD is not in the cluster yet (it comes from another application). */
  public static readonly SKIP_DRY_RUN_ON_MISSING_RESOURCE = new ArgoCdSyncOption('SkipDryRunOnMissingResource=true');
  /** Never prune the object when it disappears from Git. */
  public static readonly PRUNE_DISABLED = new ArgoCdSyncOption('Prune=false');
  /** Never delete the object when the application is deleted. */
  public static readonly DELETE_DISABLED = new ArgoCdSyncOption('Delete=false');
  /** Apply with server-side apply, so Argo CD owns only the fields it writes (objects shared with operators). */
  public static readonly SERVER_SIDE_APPLY = new ArgoCdSyncOption('ServerSideApply=true');
  /** Prune the object after the other resources of the sync. */
  public static readonly PRUNE_LAST = new ArgoCdSyncOption('PruneLast=true');

  /** Any other option, written as given, e.g. `Replace=true`. */
  public static of(value: string): ArgoCdSyncOption {
    return new ArgoCdSyncOption(value);
  }

  private constructor(
    /** The option as written in the annotation, e.g. `Prune=false`. */
    public readonly value: string) {
  }
}

/**
 * How Argo CD syncs the objects a construct emits.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export interface ArgoCdOptions {
  /**
   * The sync wave. Secrets and their sources go before the workloads and custom resources that use them.
   *
   * @default - each construct's own default (e.g. -1 for registry secrets)
   */
  readonly syncWave?: number;

  /**
   * Sync options in addition to the ones the construct needs (e.g. `SkipDryRunOnMissingResource=true` on custom
   * resources, `ServerSideApply=true` on objects shared with operators).
   *
   * @default - only the construct's own options
   */
  readonly syncOptions?: ArgoCdSyncOption[];

  /**
   * Write no Argo CD annotations at all (for other GitOps tools or plain `kubectl apply`).
   *
   * @default false
   */
  readonly disabled?: boolean;
}

/**
 * Writes the Argo CD annotations for `options` on `obj`, with the construct's defaults.
 *
 * @param defaultWave the wave used when the options give none
 * @param requiredOptions options the object always needs
 */
export function applyArgoCd(obj: ApiObject, options: ArgoCdOptions | undefined, defaultWave: number, requiredOptions: ArgoCdSyncOption[] = []): void {
  for (const [key, value] of Object.entries(argoCdAnnotations(options, defaultWave, requiredOptions))) {
    obj.metadata.addAnnotation(key, value);
  }
}

/** The Argo CD annotations for `options`, as a map (for objects written as plain JSON, e.g. inside templates). */
export function argoCdAnnotations(
  options: ArgoCdOptions | undefined, defaultWave: number, requiredOptions: ArgoCdSyncOption[] = []): { [key: string]: string } {
  if (options?.disabled) {
    return {};
  }
  const annotations: { [key: string]: string } = { [ARGOCD_SYNC_WAVE]: String(options?.syncWave ?? defaultWave) };
  const syncOptions = [...new Set([...requiredOptions, ...(options?.syncOptions ?? [])].map(o => o.value))].sort();
  if (syncOptions.length > 0) {
    annotations[ARGOCD_SYNC_OPTIONS] = syncOptions.join(',');
  }
  return annotations;
}
