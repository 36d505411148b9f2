// The EC2 instance metadata service (IMDS) at http://169.254.169.254, reachable from inside
// every instance, and the ECS task metadata endpoint at http://169.254.170.2 (v4 and v3
// metadata, task-role credentials at /v2/credentials/<id>) for every task: one daemon of its
// own inside the VPC's network namespace, answering IMDSv2 (session tokens) and, for instances
// that allow it, IMDSv1, from the instance set the instance controller publishes (instance id,
// private address, zone, user data...). An instance is known by the source address of its
// request, as on AWS; so is a task, whose set the ECS controller publishes, and whose role's
// credentials the server asks `issueCredentials` (Moor's STS) for.
//
// Lifecycle: `new MetadataServer({ namespace, prepare, issueCredentials, onMount })`;
// `publish(instances)` and `publishTasks(tasks)` at any time (the latest set wins); `start()`
// puts the addresses on the namespace's loopback and starts the daemon; `stop()` ends it
// (instances and tasks lose metadata while Moor is down). Moor's mount helpers in the instance
// image ask here too (_mounts.ts): the daemon passes their calls to `onMount`.

export { type InstanceMetadata, type MetadataAnswer, MetadataService } from "./_answer.js";
export { metadataAddress, MetadataServer, type MetadataServerOptions } from "./_server.js";
export { type InstanceMountCall, type InstanceMountReply, mountPath, unmountPath } from "./_mounts.js";
export { type CredentialsRequest, type TaskCredentials, TaskMetadataService } from "./_task-answer.js";
