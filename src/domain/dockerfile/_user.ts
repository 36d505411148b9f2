// USER "name[:group]" or "uid[:gid]" to numeric ids, from the image's /etc/passwd and /etc/group.

import { invalid } from "../../errors/mod.js";

export interface NumericUser {
  uid: number;
  gid: number;
}

export function resolveUser(spec: string, passwd: string, group: string): NumericUser {
  const [user = "", groupName] = spec.split(":");
  const users = table(passwd);
  const entry = /^\d+$/.test(user) ? users.find((fields) => fields[2] === user) : users.find((fields) => fields[0] === user);
  if (!entry && !/^\d+$/.test(user)) throw invalid(`Cannot find user "${user}" in the image's /etc/passwd`);
  const uid = Number(entry ? entry[2] : user);
  let gid = entry ? Number(entry[3]) : 0;
  if (groupName !== undefined && groupName !== "") {
    if (/^\d+$/.test(groupName)) gid = Number(groupName);
    else {
      const found = table(group).find((fields) => fields[0] === groupName);
      if (!found) throw invalid(`Cannot find group "${groupName}" in the image's /etc/group`);
      gid = Number(found[2]);
    }
  }
  return { uid, gid };
}

function table(text: string): string[][] {
  return text.split("\n").filter((line) => line && !line.startsWith("#")).map((line) => line.split(":"));
}
