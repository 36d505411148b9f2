// rest-json routing: URI path templates from the service model (`/2015-02-01/file-systems/{Id}`)
// matched segment by segment. Labels are percent-decoded after splitting, so an ARN sent as one
// encoded label (`arn%3Aaws%3A...%2Ffs-1`) stays one label. A trailing slash is not significant
// (botocore sends `/tags/{FileSystemId}/`, the JavaScript SDK does not).

export interface PathTemplate {
  segments: ({ literal: string } | { label: string })[];
  literals: number;
}

export function parsePathTemplate(path: string): PathTemplate {
  const segments = split(path).map((segment) => {
    const label = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
    return label ? { label: label[1]! } : { literal: segment };
  });
  return { segments, literals: segments.filter((segment) => "literal" in segment).length };
}

/** Labels by name when `rawPath` (still percent-encoded) fits the template, else undefined. */
export function matchPath(template: PathTemplate, rawSegments: string[]): Record<string, string> | undefined {
  if (rawSegments.length !== template.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of template.segments.entries()) {
    const raw = rawSegments[index]!;
    if ("literal" in segment) {
      if (raw !== segment.literal) return undefined;
    } else {
      if (raw === "") return undefined;
      params[segment.label] = decodeURIComponent(raw);
    }
  }
  return params;
}

/** The path's segments, still percent-encoded; "/a/b/" and "/a/b" give the same. */
export function split(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.split("/").slice(1);
}
