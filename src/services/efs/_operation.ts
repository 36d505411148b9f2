// What the EFS operations share: checking their input against the model's shapes (whoever
// calls, the aws CLI through the AWS front end or kubectl through the kube API), finding the
// objects they name, and changing a file system atomically.

import {
  type AccessPointObject,
  accessPointKind,
  badRequest,
  checkShape,
  efsError,
  type FileSystemObject,
  fileSystemKind,
  type LifeCycleState,
  type MountTargetObject,
  mountTargetKind,
  parseAccessPointId,
  parseFileSystemId,
  type Shape,
} from "../../domain/efs/mod.js";
import { quote } from "../../errors/mod.js";
import type { EfsContext } from "./_context.js";

export type StructureShape = Extract<Shape, { type: "structure" }>;

/** A member the caller must give (a path label on the wire), checked against its shape. */
export function checkRequired(value: unknown, name: string, shape: Shape, action: string): void {
  checkShape(shape, value, name, action);
}

/**
 * An optional member (a query parameter on the wire), checked when present. A whole number that
 * arrives as text the caller could not read as one is refused the way the model's integer is.
 */
export function checkOptional(value: unknown, name: string, shape: Shape, action: string): void {
  if (value === undefined) return;
  if (shape.type === "integer" && typeof value === "string") throw badRequest(`${action}: ${name} ${quote(value)} is not a whole number`);
  checkShape(shape, value, name, action);
}

/** The members the body carries, checked against the input shape's body members. */
export function checkBody<T>(input: unknown, shape: StructureShape, action: string): T {
  checkShape(shape, input, "", action);
  return input as T;
}

export function requireFileSystem(context: EfsContext, idOrArn: string, action: string): FileSystemObject {
  const id = parseFileSystemId(idOrArn);
  const object = id === undefined ? undefined : context.store.get({ kind: fileSystemKind, name: id });
  if (!object) throw efsError("FileSystemNotFound", `${action}: file system ${quote(id ?? idOrArn)} does not exist`);
  return object as FileSystemObject;
}

export function requireAccessPoint(context: EfsContext, idOrArn: string, action: string): AccessPointObject {
  const id = parseAccessPointId(idOrArn);
  const object = id === undefined ? undefined : context.store.get({ kind: accessPointKind, name: id });
  if (!object) throw efsError("AccessPointNotFound", `${action}: access point ${quote(id ?? idOrArn)} does not exist`);
  return object as AccessPointObject;
}

export function requireMountTarget(context: EfsContext, id: string, action: string): MountTargetObject {
  const object = context.store.get({ kind: mountTargetKind, name: id });
  if (!object) throw efsError("MountTargetNotFound", `${action}: mount target ${quote(id)} does not exist`);
  return object as MountTargetObject;
}

/** IncorrectFileSystemLifeCycleState unless the file system is in one of `states`. */
export function requireState(fileSystem: FileSystemObject, states: LifeCycleState[], action: string): void {
  const state = fileSystem.status.lifeCycleState;
  if (states.includes(state)) return;
  throw efsError(
    "IncorrectFileSystemLifeCycleState",
    `${action}: file system ${quote(fileSystem.metadata.name)} is ${quote(state)}; it must be ${states.map((s) => quote(s)).join(" or ")}`,
  );
}

/** States in which a file system's settings may be changed. */
export const changeableStates: LifeCycleState[] = ["creating", "available", "updating"];

/**
 * Reads the file system, checks its state and writes `change(fs)` back, atomically; returns the
 * stored result.
 */
export function changeFileSystem(
  context: EfsContext,
  idOrArn: string,
  action: string,
  change: (fileSystem: FileSystemObject) => FileSystemObject,
  states: LifeCycleState[] = changeableStates,
): FileSystemObject {
  return context.store.transaction(() => {
    const fileSystem = requireFileSystem(context, idOrArn, action);
    requireState(fileSystem, states, action);
    return context.store.update(change(fileSystem)) as FileSystemObject;
  });
}

/** One page of a sorted id list after `after`, and the token of the next page. */
export function pageOf(ids: readonly string[], start: number, limit: number): { ids: string[]; next?: string } {
  const page = ids.slice(start, start + limit);
  return start + limit < ids.length ? { ids: page, next: page[page.length - 1] } : { ids: page };
}
