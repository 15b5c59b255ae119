// Which pull secrets a pod presents to the kubelet, read from a pod spec as manifest JSON. One rule, used by the
// constructs' pull checks and by the doctor, so both answer the same: the pod's own `imagePullSecrets`, or — only
// when it names none — those of its ServiceAccount, which the ServiceAccount admission plugin copies into the pod.
//
// @see https://kubernetes.io/docs/concepts/security/service-accounts/#add-imagepullsecrets-to-a-service-account
// @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/serviceaccount/admission.go

/** Where a pod's pull secrets come from. */
export type PullSecretOrigin = 'pod' | 'service-account' | 'none';

/** The ServiceAccount a pod runs as: `serviceAccountName`, the deprecated `serviceAccount`, else `default`. */
export function podServiceAccountName(podSpec: any): string {
  const name = [podSpec?.serviceAccountName, podSpec?.serviceAccount].find(value => typeof value === 'string' && value !== '');
  return name ?? 'default';
}

/** The names in a list of `{ name }` references (`imagePullSecrets`), skipping malformed entries. */
export function referenceNames(list: unknown): string[] {
  return (Array.isArray(list) ? list : [])
    .map(item => (item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined))
    .filter((name): name is string => typeof name === 'string' && name !== '');
}

/**
 * The pull secret names the kubelet uses for a pod, and where they come from.
 *
 * @param ownNames the pod's own `imagePullSecrets` names
 * @param accountNames the `imagePullSecrets` names of its ServiceAccount, or `undefined` when the account is unknown
 */
export function effectivePullSecrets(ownNames: string[], accountNames: string[] | undefined): { origin: PullSecretOrigin; names: string[] } {
  if (ownNames.length > 0) {
    return { origin: 'pod', names: ownNames };
  }
  const names = accountNames ?? [];
  return { origin: names.length > 0 ? 'service-account' : 'none', names };
}
