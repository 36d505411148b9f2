// The shape of one EFS action file, and the request helpers they share: reading path labels,
// query parameters and the body against the model's shapes, and finding the objects they name.

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
} from "../../../domain/efs/mod.js";
import { quote } from "../../../errors/mod.js";
import type { AwsRequest, AwsResponse } from "../mod.js";
import type { EfsContext } from "./_context.js";

export interface EfsOperation {
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  run(context: EfsContext, request: AwsRequest): AwsResponse;
}

export type StructureShape = Extract<Shape, { type: "structure" }>;

/** The JSON body, checked against the input shape's body members. */
export function body<T>(request: AwsRequest, shape: StructureShape, action: string): T {
  checkShape(shape, request.body, "", action);
  return request.body as T;
}

/** A path label, checked against its shape. */
export function label(request: AwsRequest, name: string, shape: Shape, action: string): string {
  const value = request.params[name] ?? "";
  checkShape(shape, value, name, action);
  return value;
}

/** A string query parameter, checked when present. */
export function queryString(request: AwsRequest, name: string, shape: Shape, action: string): string | undefined {
  const value = request.query.get(name);
  if (value !== undefined) checkShape(shape, value, name, action);
  return value;
}

/** An integer query parameter, checked when present. */
export function queryInteger(request: AwsRequest, name: string, shape: Shape, action: string): number | undefined {
  const text = request.query.get(name);
  if (text === undefined) return undefined;
  if (!/^[+-]?\d{1,15}$/.test(text.trim())) throw badRequest(`${action}: ${name} ${quote(text)} is not a whole number`);
  const value = Number(text);
  checkShape(shape, value, name, action);
  return value;
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

export const ok = (body?: unknown): AwsResponse => ({ status: 200, body });
export const noContent = (): AwsResponse => ({ status: 204 });
