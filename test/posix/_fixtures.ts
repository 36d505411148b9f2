// The tree root prepares in every target's backing directory before anything is mounted: a root
// owned by the test identity (1000:1000) and files owned by others, for the permission scenarios.

import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const testIdentity = { uid: 1000, gid: 1000, secondaryGids: [] as number[] };

interface Fixture {
  path: string;
  uid: number;
  gid: number;
  mode: number;
  content?: string;
}

const fixtures: Fixture[] = [
  { path: "fixtures", uid: 0, gid: 0, mode: 0o755 },
  { path: "fixtures/root-file", uid: 0, gid: 0, mode: 0o644, content: "secret" },
  { path: "fixtures/root-private", uid: 0, gid: 0, mode: 0o600, content: "private" },
  { path: "fixtures/world-writable", uid: 0, gid: 0, mode: 0o666, content: "ww" },
  { path: "fixtures/group-file", uid: 0, gid: 1000, mode: 0o640, content: "group" },
  { path: "fixtures/other-group-file", uid: 0, gid: 3000, mode: 0o640, content: "other group" },
  { path: "fixtures/root-dir", uid: 0, gid: 0, mode: 0o755 },
  { path: "fixtures/root-dir/inner", uid: 0, gid: 0, mode: 0o644, content: "inner" },
  { path: "fixtures/sticky", uid: 0, gid: 0, mode: 0o1777 },
  { path: "fixtures/sticky/others", uid: 2000, gid: 2000, mode: 0o644, content: "others" },
  { path: "fixtures/sticky/others-dir", uid: 2000, gid: 2000, mode: 0o755 },
  { path: "fixtures/setgid-dir", uid: 0, gid: 3000, mode: 0o2777 },
  { path: "fixtures/unsearchable", uid: 1000, gid: 1000, mode: 0o600 },
  { path: "fixtures/unsearchable/hidden", uid: 1000, gid: 1000, mode: 0o644, content: "hidden" },
];

/** Prepares `backing` (an empty directory) as root. */
export function prepareFixtures(backing: string): void {
  chownSync(backing, testIdentity.uid, testIdentity.gid);
  chmodSync(backing, 0o755);
  for (const fixture of fixtures) {
    const path = join(backing, fixture.path);
    if (fixture.content === undefined) mkdirSync(path);
    else writeFileSync(path, fixture.content);
    chownSync(path, fixture.uid, fixture.gid);
    chmodSync(path, fixture.mode);
  }
}
