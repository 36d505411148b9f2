// The EC2 instance metadata service (IMDS) at http://169.254.169.254, reachable from inside
// every instance: a daemon of its own inside the VPC's network namespace, answering IMDSv2
// (session tokens) and, for instances that allow it, IMDSv1, from the instance set the instance
// controller publishes (instance id, private address, zone, user data...). An instance is known
// by the source address of its request, as on AWS.
//
// Lifecycle: `new MetadataServer({ namespace, prepare })`; `publish(instances)` at any time
// (the latest set wins); `start()` puts the address on the namespace's loopback and starts the
// daemon; `stop()` ends it (instances lose metadata while Moor is down). Moor's mount helpers in
// the instance image ask here too (_mounts.ts): the daemon passes their calls to `onMount`.

export { type InstanceMetadata, type MetadataAnswer, MetadataService } from "./_answer.js";
export { metadataAddress, MetadataServer, type MetadataServerOptions } from "./_server.js";
export { type InstanceMountCall, type InstanceMountReply, mountPath, unmountPath } from "./_mounts.js";
