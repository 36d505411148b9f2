// What is wrong with a request, found while reading it or checking it against the model: the
// protocols turn these into their own error codes and AWS's texts.

export interface Problem {
  /** missing: a required member is absent; type: the wire value is not of the shape's type; constraint: it breaks a model constraint. */
  kind: "missing" | "type" | "constraint";
  /** The member's path in AWS's validation style: lower-camel names, 1-based list indices (`tags.1.member.key`). */
  path: string;
  /** The member's wire name at the end of the path (`GroupName`), for EC2's MissingParameter. */
  wireName: string;
  /** The offending value as text, when there is one. */
  value?: string;
  /** AWS's constraint text: "Member must not be null", "Member must have length less than or equal to 64". */
  constraint: string;
}

/** Reading or checking stops collecting after this many problems: a hostile request is not a workload. */
export const problemsMax = 10;

export class ProblemList {
  readonly items: Problem[] = [];

  add(problem: Problem): void {
    if (this.items.length < problemsMax) this.items.push(problem);
  }

  get full(): boolean {
    return this.items.length >= problemsMax;
  }
}

/** AWS's path segment for a member: its name with the first letter lower-cased. */
export function pathSegment(memberName: string): string {
  return memberName.charAt(0).toLowerCase() + memberName.slice(1);
}

export function joinPath(path: string, segment: string): string {
  return path ? `${path}.${segment}` : segment;
}

/** AWS's validation text: `2 validation errors detected: Value 'x' at 'roleName' failed to satisfy constraint: ...; ...`. */
export function validationMessage(problems: readonly Problem[]): string {
  const count = problems.length;
  const parts = problems.map((problem) => {
    const value = problem.value === undefined ? "Value" : `Value '${problem.value.length > 256 ? `${problem.value.slice(0, 256)}...` : problem.value}'`;
    return `${value} at '${problem.path}' failed to satisfy constraint: ${problem.constraint}`;
  });
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${parts.join("; ")}`;
}
