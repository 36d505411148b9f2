// Errors as the FUSE protocol carries them: a positive errno number. Handlers throw `errno(...)`
// or let Node's system errors through; `errnoOf` turns anything into the number the kernel gets,
// logging what is not a system error as the generic EIO.

import { constants } from "node:os";

export const Errno = {
  EPERM: constants.errno.EPERM,
  ENOENT: constants.errno.ENOENT,
  EINTR: constants.errno.EINTR,
  EIO: constants.errno.EIO,
  EBADF: constants.errno.EBADF,
  EAGAIN: constants.errno.EAGAIN,
  EACCES: constants.errno.EACCES,
  EEXIST: constants.errno.EEXIST,
  EXDEV: constants.errno.EXDEV,
  ENOTDIR: constants.errno.ENOTDIR,
  ENODEV: constants.errno.ENODEV,
  EISDIR: constants.errno.EISDIR,
  EINVAL: constants.errno.EINVAL,
  ENOSPC: constants.errno.ENOSPC,
  EROFS: constants.errno.EROFS,
  ERANGE: constants.errno.ERANGE,
  ENOSYS: constants.errno.ENOSYS,
  ENOTEMPTY: constants.errno.ENOTEMPTY,
  ENODATA: constants.errno.ENODATA,
  EOPNOTSUPP: constants.errno.EOPNOTSUPP,
  ESTALE: constants.errno.ESTALE,
  ENAMETOOLONG: constants.errno.ENAMETOOLONG,
} as const;

/**
 * An errno to answer with. Deliberately not an Error: failed lookups are common (every create
 * starts with one) and capturing a stack trace for each would cost more than the lookup.
 */
export class FuseError {
  constructor(readonly errno: number) {}
}

export function errno(code: number): FuseError {
  return new FuseError(code);
}

/** Turns a native shim result (negative errno on failure) into a thrown error. */
export function check(result: number): number {
  if (result < 0) throw errno(-result);
  return result;
}

export function errnoOf(error: unknown): number {
  if (error instanceof FuseError) return error.errno;
  const systemErrno = (error as NodeJS.ErrnoException | null)?.errno;
  if (typeof systemErrno === "number" && systemErrno !== 0) return Math.abs(systemErrno);
  console.error("moor fuse: unexpected error, answered EIO:", error);
  return Errno.EIO;
}
