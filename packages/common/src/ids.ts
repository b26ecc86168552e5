import { customAlphabet } from 'nanoid';

/** Ids are lowercase alphanumerics: safe in file names, URLs and log fields. */
const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
const make = customAlphabet(alphabet, 16);

export type JobId = string;
export type AttemptId = string;
export type TaskManagerId = string;
/** Identity of one JobManager process: new at every start, so a restarted JobManager is told apart. */
export type JobManagerId = string;

export const newJobId = (): JobId => make();
export const newAttemptId = (): AttemptId => make();
export const newTaskManagerId = (): TaskManagerId => `tm-${make().slice(0, 8)}`;
export const newJobManagerId = (): JobManagerId => `jm-${make()}`;

const ID_PATTERN = /^[a-z0-9-]{1,64}$/;

/** True when `id` can name a file or folder inside a data directory without escaping it. */
export function isSafeId(id: string): boolean {
  return ID_PATTERN.test(id);
}
