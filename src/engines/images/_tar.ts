// Layer tar streams made the same way everywhere: the builder digests its layers with these
// options, and a push writes a stored layer back as a tar with them, so the same files give the
// same bytes (and digest) every time.

/** GNU tar options that make the same files give the same bytes. */
export function reproducibleTarOptions(sourceDateEpoch?: number): string[] {
  const options = ["--sort=name", "--numeric-owner", "--xattrs", "--xattrs-include=*", "--format=posix", "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime"];
  if (sourceDateEpoch !== undefined) options.push(`--mtime=@${sourceDateEpoch}`, "--clamp-mtime");
  return options;
}
