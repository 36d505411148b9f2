// CreateDBInstance's and CreateDBSubnetGroup's input rules, with the texts RDS answers
// (InvalidParameterValue unless said otherwise); each returns the problem or undefined.

export function identifierProblem(identifier: string): string | undefined {
  if (!/^[A-Za-z]/.test(identifier) || !/^[A-Za-z0-9-]{1,63}$/.test(identifier) || identifier.endsWith("-") || identifier.includes("--")) {
    return "The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.";
  }
  return undefined;
}

export function subnetGroupNameProblem(name: string): string | undefined {
  if (name.toLowerCase() === "default") return "DBSubnetGroupName must not be default";
  if (!/^[A-Za-z0-9 ._-]{1,255}$/.test(name)) return "The parameter DBSubnetGroupName is not a valid identifier. It must contain only ASCII letters, digits, spaces, periods, underscores and hyphens";
  return undefined;
}

export function dbNameProblem(engine: string, name: string): string | undefined {
  const limit = engine === "postgres" ? 63 : 64;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name.length > limit) return "DBName must begin with a letter and contain only alphanumeric characters.";
  return undefined;
}

export function masterUsernameProblem(engine: string, name: string): string | undefined {
  const limit = engine === "postgres" ? 63 : 16;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name.length > limit) {
    return `The parameter MasterUsername is not a valid identifier. It must begin with a letter, contain only letters, digits and underscores, and be at most ${limit} characters`;
  }
  const reserved = engine === "postgres" ? ["postgres", "rdsadmin"] : ["root", "rdsadmin", "mysql"];
  if (reserved.includes(name.toLowerCase())) return `MasterUsername ${name} cannot be used as it is a reserved word used by the engine`;
  return undefined;
}

export function passwordProblem(engine: string, password: string): string | undefined {
  if (/[^\x20-\x7e]/.test(password) || /[/"@ ]/.test(password)) {
    return "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.";
  }
  const limit = engine === "postgres" ? 128 : 41;
  if (password.length < 8) return "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.";
  if (password.length > limit) return `The parameter MasterUserPassword is not a valid password because it is longer than ${limit} characters.`;
  return undefined;
}

export function storageProblem(gib: number): string | undefined {
  if (!Number.isInteger(gib) || gib < 20 || gib > 65536) return `Invalid storage size for engine name and storage type: ${gib}. The storage must be between 20 and 65536 GiB`;
  return undefined;
}

/** DBSubnetGroupDoesNotCoverEnoughAZs: fewer than two zones among the subnets. */
export function azCoverageProblem(zones: readonly string[]): string | undefined {
  const covered = [...new Set(zones)].sort();
  if (covered.length >= 2) return undefined;
  return `The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ${covered.join(", ")}. Add subnets to cover at least 2 AZs.`;
}
