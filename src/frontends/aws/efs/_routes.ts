// Where each EFS action sits on the wire (rest-json, apiVersion 2015-02-01): its method and URI
// template, the query parameters it reads and the member each fills, and its success status.
// Path labels carry their member's name; the JSON body's members are the input's own.

import type { EfsOperationName } from "../../../services/efs/mod.js";

/** How a query parameter arrives: text, a whole number, or a repeated list. */
export type QueryType = "string" | "integer" | "list";

export interface EfsRoute {
  /** The model's operation name. */
  name: string;
  operation: EfsOperationName;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  status: 200 | 201 | 202 | 204;
  /** Query parameter → [input member, how it arrives]. */
  query?: Record<string, [string, QueryType]>;
}

const fileSystems = "/2015-02-01/file-systems";
const fileSystem = `${fileSystems}/{FileSystemId}`;
const replication = `${fileSystems}/{SourceFileSystemId}/replication-configuration`;
const accessPoints = "/2015-02-01/access-points";
const mountTargets = "/2015-02-01/mount-targets";
const mountTarget = `${mountTargets}/{MountTargetId}`;
const resourceTags = "/2015-02-01/resource-tags/{ResourceId}";

const member = (name: string, type: QueryType = "string"): [string, QueryType] => [name, type];
const pageByMarker = { MaxItems: member("MaxItems", "integer"), Marker: member("Marker") };
const pageByToken = { MaxResults: member("MaxResults", "integer"), NextToken: member("NextToken") };

export const efsRoutes: EfsRoute[] = [
  { name: "CreateAccessPoint", operation: "createAccessPoint", method: "POST", path: accessPoints, status: 200 },
  { name: "CreateFileSystem", operation: "createFileSystem", method: "POST", path: fileSystems, status: 201 },
  { name: "CreateMountTarget", operation: "createMountTarget", method: "POST", path: mountTargets, status: 200 },
  { name: "CreateReplicationConfiguration", operation: "createReplicationConfiguration", method: "POST", path: replication, status: 200 },
  { name: "CreateTags", operation: "createTags", method: "POST", path: "/2015-02-01/create-tags/{FileSystemId}", status: 204 },
  { name: "DeleteAccessPoint", operation: "deleteAccessPoint", method: "DELETE", path: `${accessPoints}/{AccessPointId}`, status: 204 },
  { name: "DeleteFileSystem", operation: "deleteFileSystem", method: "DELETE", path: fileSystem, status: 204 },
  { name: "DeleteFileSystemPolicy", operation: "deleteFileSystemPolicy", method: "DELETE", path: `${fileSystem}/policy`, status: 200 },
  { name: "DeleteMountTarget", operation: "deleteMountTarget", method: "DELETE", path: mountTarget, status: 204 },
  {
    name: "DeleteReplicationConfiguration",
    operation: "deleteReplicationConfiguration",
    method: "DELETE",
    path: replication,
    status: 204,
    query: { deletionMode: member("deletionMode") },
  },
  { name: "DeleteTags", operation: "deleteTags", method: "POST", path: "/2015-02-01/delete-tags/{FileSystemId}", status: 204 },
  {
    name: "DescribeAccessPoints",
    operation: "describeAccessPoints",
    method: "GET",
    path: accessPoints,
    status: 200,
    query: { ...pageByToken, AccessPointId: member("AccessPointId"), FileSystemId: member("FileSystemId") },
  },
  { name: "DescribeAccountPreferences", operation: "describeAccountPreferences", method: "GET", path: "/2015-02-01/account-preferences", status: 200 },
  { name: "DescribeBackupPolicy", operation: "describeBackupPolicy", method: "GET", path: `${fileSystem}/backup-policy`, status: 200 },
  { name: "DescribeFileSystemPolicy", operation: "describeFileSystemPolicy", method: "GET", path: `${fileSystem}/policy`, status: 200 },
  {
    name: "DescribeFileSystems",
    operation: "describeFileSystems",
    method: "GET",
    path: fileSystems,
    status: 200,
    query: { ...pageByMarker, CreationToken: member("CreationToken"), FileSystemId: member("FileSystemId") },
  },
  { name: "DescribeLifecycleConfiguration", operation: "describeLifecycleConfiguration", method: "GET", path: `${fileSystem}/lifecycle-configuration`, status: 200 },
  { name: "DescribeMountTargetSecurityGroups", operation: "describeMountTargetSecurityGroups", method: "GET", path: `${mountTarget}/security-groups`, status: 200 },
  {
    name: "DescribeMountTargets",
    operation: "describeMountTargets",
    method: "GET",
    path: mountTargets,
    status: 200,
    query: { ...pageByMarker, FileSystemId: member("FileSystemId"), MountTargetId: member("MountTargetId"), AccessPointId: member("AccessPointId") },
  },
  {
    name: "DescribeReplicationConfigurations",
    operation: "describeReplicationConfigurations",
    method: "GET",
    path: `${fileSystems}/replication-configurations`,
    status: 200,
    query: { ...pageByToken, FileSystemId: member("FileSystemId") },
  },
  { name: "DescribeTags", operation: "describeTags", method: "GET", path: "/2015-02-01/tags/{FileSystemId}/", status: 200, query: pageByMarker },
  { name: "ListTagsForResource", operation: "listTagsForResource", method: "GET", path: resourceTags, status: 200, query: pageByToken },
  { name: "ModifyMountTargetSecurityGroups", operation: "modifyMountTargetSecurityGroups", method: "PUT", path: `${mountTarget}/security-groups`, status: 204 },
  { name: "PutAccountPreferences", operation: "putAccountPreferences", method: "PUT", path: "/2015-02-01/account-preferences", status: 200 },
  { name: "PutBackupPolicy", operation: "putBackupPolicy", method: "PUT", path: `${fileSystem}/backup-policy`, status: 200 },
  { name: "PutFileSystemPolicy", operation: "putFileSystemPolicy", method: "PUT", path: `${fileSystem}/policy`, status: 200 },
  { name: "PutLifecycleConfiguration", operation: "putLifecycleConfiguration", method: "PUT", path: `${fileSystem}/lifecycle-configuration`, status: 200 },
  { name: "TagResource", operation: "tagResource", method: "POST", path: resourceTags, status: 200 },
  { name: "UntagResource", operation: "untagResource", method: "DELETE", path: resourceTags, status: 200, query: { tagKeys: member("TagKeys", "list") } },
  { name: "UpdateFileSystem", operation: "updateFileSystem", method: "PUT", path: fileSystem, status: 202 },
  { name: "UpdateFileSystemProtection", operation: "updateFileSystemProtection", method: "PUT", path: `${fileSystem}/protection`, status: 200 },
];
