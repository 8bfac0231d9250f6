/** The floor's Redis names, under a prefix of its own; the queue's hash tag keeps it on one cluster slot. */
export function floorKeys(prefix: string) {
  return {
    queue: 'floor',
    bullPrefix: `${prefix}:{bull}`,
    channel: `${prefix}:results`,
    result: (id: string) => `${prefix}:result:${id}`,
  };
}

export type FloorJob = { id: string; prompt: string };
