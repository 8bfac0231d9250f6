/**
 * Redis layout of the model registry. Every key shares the hash tag `{models}` so each
 * write script touches one Redis Cluster slot.
 */
export function modelKeys(prefix: string) {
  const base = `${prefix}:{models}`;
  return {
    /** HASH id → entry JSON. */
    entries: `${base}:entries`,
    /** Counter bumped by every write: a process whose copy is older reloads. */
    version: `${base}:version`,
    /** SET of ids an admin deleted: the environment does not bring them back at the next start. */
    tombstones: `${base}:deleted`,
    /** Pub/sub channel announcing a new version (a hint; the version counter is the truth). */
    channel: `${prefix}:models:changed`,
  };
}
