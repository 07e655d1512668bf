/** Workflow time as ISO-8601 text: the workflow's deterministic clock, for events and views. */
export const nowIso = (): string => new Date(Date.now()).toISOString();

export const iso = (ms: number): string => new Date(ms).toISOString();
