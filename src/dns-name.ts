/**
 * A construct id in DNS-1123 form, for the names of objects other systems reference: `GhcrPull` → `ghcr-pull`,
 * `docker_hub` → `docker-hub`. Module-internal: not exported from the package root.
 */
export function dnsNameFromId(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}
