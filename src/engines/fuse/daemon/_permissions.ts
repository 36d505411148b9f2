// Who a request acts as, and what that identity may do: the access-point rules of EFS (an
// enforced PosixUser replaces the caller; root is squashed without ClientRootAccess) and the
// POSIX permission rules the daemon applies itself, because it runs as root and the kernel does
// not check on its behalf. Pure functions over numbers: no I/O, unit-tested beside this file.

import type { Identity } from "../wire/mod.js";

export const squashedId = 65534;
export const Access = { read: 4, write: 2, execute: 1 } as const;

const typeMask = 0o170000;
const directoryType = 0o040000;
const regularType = 0o100000;
export const setUidBit = 0o4000;
export const setGidBit = 0o2000;
const stickyBit = 0o1000;

export type { Identity };

/** The effective identity of one request; `groups` is filled lazily when a check needs it. */
export interface Credentials {
  uid: number;
  gid: number;
  groups: readonly number[] | undefined;
}

export interface IdentityRules {
  identity?: Identity;
  squashRoot?: boolean;
}

/** The identity a request acts as, from the rules and the caller's uid/gid in the request. */
export function effectiveCredentials(rules: IdentityRules, callerUid: number, callerGid: number): Credentials {
  const base: Credentials = rules.identity
    ? { uid: rules.identity.uid, gid: rules.identity.gid, groups: rules.identity.secondaryGids }
    : { uid: callerUid, gid: callerGid, groups: undefined };
  if (!rules.squashRoot) return base;
  if (base.uid === 0) return { uid: squashedId, gid: squashedId, groups: [] };
  if (base.gid === 0) return { uid: base.uid, gid: squashedId, groups: base.groups?.filter((gid) => gid !== 0) };
  return base;
}

/** The owner, group and mode of a file, as the checks need them. */
export interface FileMode {
  uid: number;
  gid: number;
  mode: number;
}

export type GroupLookup = () => readonly number[];

function inGroup(credentials: Credentials, gid: number, groups: GroupLookup): boolean {
  if (credentials.gid === gid) return true;
  return (credentials.groups ?? groups()).includes(gid);
}

/**
 * Whether `credentials` may access a file with `wanted` (an Access bit mask), as the kernel's
 * generic_permission decides: root passes except for execute on a file without any x bit;
 * otherwise exactly one class (owner, group, other) applies.
 */
export function mayAccess(credentials: Credentials, file: FileMode, wanted: number, groups: GroupLookup): boolean {
  if (wanted === 0) return true;
  if (credentials.uid === 0) {
    if (!(wanted & Access.execute)) return true;
    return (file.mode & typeMask) === directoryType || (file.mode & 0o111) !== 0;
  }
  let granted: number;
  if (credentials.uid === file.uid) granted = (file.mode >> 6) & 7;
  else if (inGroup(credentials, file.gid, groups)) granted = (file.mode >> 3) & 7;
  else granted = file.mode & 7;
  return (granted & wanted) === wanted;
}

/** Whether `credentials` may remove or rename `child` out of the sticky directory `parent`. */
export function mayDeleteFrom(credentials: Credentials, parent: FileMode, child: FileMode): boolean {
  if (!(parent.mode & stickyBit) || credentials.uid === 0) return true;
  return credentials.uid === child.uid || credentials.uid === parent.uid;
}

/** chmod: only the owner or root. */
export function mayChangeMode(credentials: Credentials, file: FileMode): boolean {
  return credentials.uid === 0 || credentials.uid === file.uid;
}

/**
 * The mode chmod really sets: a non-root caller outside the file's group cannot set the
 * set-group-id bit on a file (the kernel drops it silently, as here).
 */
export function effectiveNewMode(credentials: Credentials, file: FileMode, mode: number, groups: GroupLookup): number {
  if (credentials.uid === 0 || (file.mode & typeMask) === directoryType) return mode;
  if (mode & setGidBit && !inGroup(credentials, file.gid, groups)) return mode & ~setGidBit;
  return mode;
}

/**
 * The mode after a write or truncation by `credentials`: a non-root writer drops set-user-id and
 * (with group execute) set-group-id, as the kernel's file_remove_privs; undefined if unchanged.
 */
export function modeAfterWrite(credentials: Credentials, mode: number): number | undefined {
  if (credentials.uid === 0) return undefined;
  let kept = mode & 0o7777;
  if (kept & setUidBit) kept &= ~setUidBit;
  if ((kept & (setGidBit | 0o010)) === (setGidBit | 0o010)) kept &= ~setGidBit;
  return kept === (mode & 0o7777) ? undefined : kept;
}

/** Whether a mode change only clears set-id bits: what the kernel asks after a write by a non-owner. */
export function onlyClearsSetIdBits(file: FileMode, mode: number): boolean {
  const kept = file.mode & 0o7777 & ~(setUidBit | setGidBit);
  return (mode & 0o7777) === kept;
}

/**
 * chown under chown_restricted, as the kernel's chown_ok and chgrp_ok: only root gives a file
 * away; the owner may "change" the owner to itself and the group to its current group or any
 * group it is in. `undefined` means that id is not being changed.
 */
export function mayChangeOwner(
  credentials: Credentials,
  file: FileMode,
  uid: number | undefined,
  gid: number | undefined,
  groups: GroupLookup,
): boolean {
  if (credentials.uid === 0) return true;
  const owner = credentials.uid === file.uid;
  if (uid !== undefined && !(owner && uid === file.uid)) return false;
  if (gid !== undefined && !(owner && (gid === file.gid || inGroup(credentials, gid, groups)))) return false;
  return true;
}

/** utimes to "now": the owner, root, or anyone who may write; explicit times: owner or root. */
export function maySetTimes(credentials: Credentials, file: FileMode, toNow: boolean, groups: GroupLookup): boolean {
  if (credentials.uid === 0 || credentials.uid === file.uid) return true;
  return toNow && mayAccess(credentials, file, Access.write, groups);
}

/**
 * The owner of a new file: the effective identity, with the group of a set-group-id parent
 * directory (BSD group semantics, as ext4 applies).
 */
export function newFileOwner(credentials: Credentials, parent: FileMode): { uid: number; gid: number } {
  return { uid: credentials.uid, gid: parent.mode & setGidBit ? parent.gid : credentials.gid };
}

/** The mode of a new file: a set-group-id bit the creator could not set is dropped. */
export function newFileMode(credentials: Credentials, owner: { gid: number }, mode: number, groups: GroupLookup): number {
  if ((mode & typeMask) === directoryType || !(mode & setGidBit) || credentials.uid === 0) return mode;
  return inGroup(credentials, owner.gid, groups) ? mode : mode & ~setGidBit;
}

/**
 * fs.protected_hardlinks: a non-owner may link only a regular file it can read and write that
 * is neither set-user-id nor executable set-group-id.
 */
export function mayHardLink(credentials: Credentials, file: FileMode, groups: GroupLookup): boolean {
  if (credentials.uid === 0 || credentials.uid === file.uid) return true;
  if ((file.mode & typeMask) !== regularType) return false;
  if (file.mode & setUidBit) return false;
  if ((file.mode & (setGidBit | 0o010)) === (setGidBit | 0o010)) return false;
  return mayAccess(credentials, file, Access.read | Access.write, groups);
}

export function isDirectory(mode: number): boolean {
  return (mode & typeMask) === directoryType;
}

export function isRegular(mode: number): boolean {
  return (mode & typeMask) === regularType;
}

export function isSymlink(mode: number): boolean {
  return (mode & typeMask) === 0o120000;
}

/** Parses the "Groups:" line of /proc/<pid>/status. */
export function parseStatusGroups(status: string): number[] {
  const line = status.split("\n").find((candidate) => candidate.startsWith("Groups:"));
  if (!line) return [];
  return line
    .slice("Groups:".length)
    .trim()
    .split(/\s+/)
    .filter((field) => field.length > 0)
    .map(Number);
}
