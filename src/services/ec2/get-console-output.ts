// GetConsoleOutput: the last 64 KB of what the instance's console (its init and user data)
// printed, base64-encoded as EC2 sends it (the aws CLI decodes it). Read through the console
// port the wiring gives (the instance pod's log); empty while the instance has no console.

import { type Ec2Context, ec2Error } from "./_context.js";
import { requireInstance } from "./_instances.js";

const consoleBytesMax = 64 * 1024;

export async function getConsoleOutput(context: Ec2Context, input: { InstanceId: string; Latest?: boolean }) {
  const instance = requireInstance(context, input.InstanceId);
  if (!context.console) throw ec2Error("Unsupported", "UnsupportedOperation", "Cannot read the console: no console reader is wired");
  const text = instance.status.state === "running" ? await context.console(instance.metadata.name) : "";
  const bytes = Buffer.from(text, "utf8");
  return { InstanceId: instance.metadata.name, Timestamp: context.now(), Output: bytes.subarray(Math.max(0, bytes.length - consoleBytesMax)).toString("base64") };
}
